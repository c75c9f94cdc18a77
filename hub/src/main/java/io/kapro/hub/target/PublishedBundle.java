package io.kapro.hub.target;

import io.kapro.api.v1alpha2.BundleRef;
import io.kapro.hub.kube.Times;
import java.time.Instant;

/**
 * The bundle issued for a Target: sequence (strictly increasing per cluster), digest, times ({@code
 * publishedAt} null while it is not pushed yet).
 */
public record PublishedBundle(
    long sequence, String digest, Instant publishedAt, Instant expiresAt) {

  /** As recorded in a Target's {@code status.bundle}. */
  public BundleRef toRef() {
    BundleRef ref = new BundleRef();
    ref.setSequence(sequence);
    ref.setDigest(digest);
    ref.setPublishedAt(Times.format(publishedAt));
    ref.setExpiresAt(Times.format(expiresAt));
    return ref;
  }

  /** What a Target's {@code status.bundle} records, or null when it records nothing whole. */
  public static PublishedBundle of(BundleRef ref) {
    if (ref == null || ref.getSequence() == null || ref.getDigest() == null) {
      return null;
    }
    return new PublishedBundle(
        ref.getSequence(),
        ref.getDigest(),
        Times.parse(ref.getPublishedAt()),
        Times.parse(ref.getExpiresAt()));
  }
}
