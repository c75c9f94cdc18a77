package io.kapro.agent.bundle;

import io.kapro.oci.bundle.BundlePayload;
import java.util.Comparator;

/**
 * The last bundle this agent applied: a bundle is accepted only with a higher sequence.
 *
 * @param sequence the bundle's sequence, 0 when none was ever applied
 * @param digest its manifest digest, empty when none
 */
public record HighWaterMark(long sequence, String digest) {
  /** Nothing applied yet. */
  public static final HighWaterMark NONE = new HighWaterMark(0, "");

  /** Orders by sequence. */
  public static final Comparator<HighWaterMark> BY_SEQUENCE =
      Comparator.comparingLong(HighWaterMark::sequence);

  /** The stored form of a sequence: decimal, in the one bundle range (or 0). */
  static boolean isStoredSequence(String s) {
    return s != null && s.matches("\\d{1,16}") && Long.parseLong(s) <= BundlePayload.MAX_SEQUENCE;
  }

  public HighWaterMark {
    if (sequence < 0 || sequence > BundlePayload.MAX_SEQUENCE) {
      throw new IllegalArgumentException(
          "sequence must be between 0 and " + BundlePayload.MAX_SEQUENCE + ", got " + sequence);
    }
    digest = digest == null ? "" : digest;
  }
}
