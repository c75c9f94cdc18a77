package io.kapro.agent.apply;

import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.FieldSet;
import java.time.Instant;
import java.util.List;

/**
 * What a judge compares an object against.
 *
 * @param version the unit's desired version
 * @param digest the unit's desired digest, or empty
 * @param sets the fields the bundle set on the object (all units that target it)
 * @param requestedAt the Flux reconcile token written with the patch, or empty
 * @param appliedAt when the patch was written (Argo CD: older operations are not ours)
 */
public record Desired(
    String version, String digest, List<FieldSet> sets, String requestedAt, Instant appliedAt) {
  public Desired {
    sets = List.copyOf(sets);
  }

  /** What {@code unit} asked of {@code object}. */
  public static Desired of(BundleUnit unit, AppliedObject object) {
    List<FieldSet> sets = object.units().stream().flatMap(u -> u.set().stream()).toList();
    return new Desired(
        unit.version(), unit.digest(), sets, object.requestedAt(), object.appliedAt());
  }

  /** The value set at {@code path}, if the bundle set it. */
  public java.util.Optional<String> valueAt(String path) {
    return sets.stream().filter(s -> s.path().equals(path)).map(FieldSet::value).findFirst();
  }
}
