package io.kapro.agent.bundle;

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

  public HighWaterMark {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0, got " + sequence);
    }
    digest = digest == null ? "" : digest;
  }
}
