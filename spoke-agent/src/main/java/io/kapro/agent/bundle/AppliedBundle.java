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
 */
public record AppliedBundle(
    long sequence,
    String digest,
    List<BundleUnit> units,
    List<AppliedObject> objects,
    Instant expiresAt) {

  /** A bundle whose expiry is unknown. */
  public AppliedBundle(
      long sequence, String digest, List<BundleUnit> units, List<AppliedObject> objects) {
    this(sequence, digest, units, objects, null);
  }

  public AppliedBundle {
    units = List.copyOf(units);
    objects = List.copyOf(objects);
  }

  /** Its high-water mark. */
  public HighWaterMark mark() {
    return new HighWaterMark(sequence, digest);
  }
}
