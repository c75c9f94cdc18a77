package io.kapro.agent.bundle;

import io.kapro.agent.apply.AppliedObject;
import io.kapro.oci.bundle.BundleUnit;
import java.time.Instant;
import java.util.List;

/**
 * The bundle currently applied: what the convergence judge and the resync need.
 *
 * @param sequence the bundle's sequence
 * @param digest its manifest digest
 * @param units its units, in bundle order
 * @param objects the objects the applier patched
 * @param expiresAt the signed expiry of the bundle, null when unknown (a record of an older agent)
 * @param drift the bundle's drift policy ({@code report} or {@code reapply})
 */
public record AppliedBundle(
    long sequence,
    String digest,
    List<BundleUnit> units,
    List<AppliedObject> objects,
    Instant expiresAt,
    String drift) {

  /** A bundle whose expiry is unknown. */
  public AppliedBundle(
      long sequence, String digest, List<BundleUnit> units, List<AppliedObject> objects) {
    this(sequence, digest, units, objects, null, null);
  }

  /** A bundle with the default drift policy ({@code report}). */
  public AppliedBundle(
      long sequence,
      String digest,
      List<BundleUnit> units,
      List<AppliedObject> objects,
      Instant expiresAt) {
    this(sequence, digest, units, objects, expiresAt, null);
  }

  public AppliedBundle {
    units = List.copyOf(units);
    objects = List.copyOf(objects);
    drift = drift == null ? io.kapro.oci.bundle.BundlePayload.DRIFT_REPORT : drift;
  }

  /** Its high-water mark. */
  public HighWaterMark mark() {
    return new HighWaterMark(sequence, digest);
  }
}
