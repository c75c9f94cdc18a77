package io.kapro.agent.drift;

import com.fasterxml.jackson.databind.JsonNode;
import io.kapro.agent.apply.AppliedObject;
import io.kapro.oci.bundle.BundlePayload;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.FieldSet;
import io.kapro.oci.bundle.ObjectReference;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The drift policy for one applied bundle. Each observation compares every managed field with the
 * bundle's value; a field that stops holding it is a revert. Under {@code reapply} a drifted object
 * is put back at most once per {@link DriftOptions#reapplyInterval()}; when one field is reverted
 * {@link DriftOptions#conflictReverts()} times within {@link DriftOptions#conflictWindow()}, some
 * other owner is fighting the agent: the unit reports an owner conflict naming that owner and the
 * agent stops reapplying this bundle. Pure apart from its own state; one instance per bundle.
 */
public final class DriftGuard {
  /**
   * The outcome of one observation.
   *
   * @param units per unit name, what to report
   * @param reapply the objects to put back now
   * @param retryAt when a rate-limited reapply may run, if one waits
   * @param newlyDrifted fields that started drifting in this observation
   * @param newConflicts owner conflicts found in this observation
   */
  public record Outcome(
      Map<String, UnitDrift> units,
      List<AppliedObject> reapply,
      Optional<Instant> retryAt,
      int newlyDrifted,
      int newConflicts) {}

  private final String policy;
  private final DriftOptions options;
  private final Set<String> drifting = new HashSet<>();
  private final Map<String, Deque<Instant>> reverts = new HashMap<>();
  private final Map<ObjectReference, Instant> lastReapply = new HashMap<>();
  private final Map<String, Integer> reapplied = new HashMap<>();
  private final Map<String, String> conflicts = new HashMap<>();

  public DriftGuard(String policy, DriftOptions options) {
    this.policy = policy;
    this.options = options;
  }

  /** Whether this bundle's policy puts drifted fields back. */
  public boolean reapplies() {
    return BundlePayload.DRIFT_REAPPLY.equals(policy);
  }

  /**
   * Compares the objects as they are now with the bundle.
   *
   * @param objects the bundle's applied objects
   * @param current the objects as read now; an object missing here is skipped (deleted objects are
   *     the judge's business)
   * @param now the agent's clock
   */
  public Outcome observe(
      List<AppliedObject> objects, Map<ObjectReference, ? extends JsonNode> current, Instant now) {
    Map<String, UnitDrift> units = new LinkedHashMap<>();
    List<AppliedObject> reapply = new ArrayList<>();
    Instant retryAt = null;
    int onsets = 0;
    int found = 0;
    for (AppliedObject o : objects) {
      JsonNode object = current.get(o.ref());
      if (object == null) {
        continue;
      }
      boolean objectDrifted = false;
      for (BundleUnit unit : o.units()) {
        List<FieldDrift> fields = DriftCheck.check(object, unit.set());
        Set<String> keys = new HashSet<>();
        for (FieldSet s : unit.set()) {
          keys.add(key(o.ref(), s.path()));
        }
        for (FieldDrift f : fields) {
          String k = key(o.ref(), f.path());
          keys.remove(k);
          if (drifting.add(k)) {
            onsets++;
            if (revert(k, now) && !conflicts.containsKey(unit.name())) {
              conflicts.put(
                  unit.name(),
                  f.path()
                      + " of "
                      + o.ref()
                      + " reverted "
                      + options.conflictReverts()
                      + " times within "
                      + options.conflictWindow()
                      + " by "
                      + Owners.describe(object));
              found++;
            }
          }
        }
        drifting.removeAll(keys); // fields that hold the value again
        objectDrifted |= !fields.isEmpty();
        units.put(
            unit.name(),
            new UnitDrift(
                fields, reapplied.getOrDefault(unit.name(), 0), conflicts.get(unit.name())));
      }
      if (objectDrifted && reapplies() && o.units().stream().noneMatch(this::conflicted)) {
        Instant last = lastReapply.get(o.ref());
        Instant allowed = last == null ? now : last.plus(options.reapplyInterval());
        if (!now.isBefore(allowed)) {
          reapply.add(o);
        } else if (retryAt == null || allowed.isBefore(retryAt)) {
          retryAt = allowed;
        }
      }
    }
    return new Outcome(units, reapply, Optional.ofNullable(retryAt), onsets, found);
  }

  /** Records that {@code o} was put back at {@code now}: its fields hold the bundle's values. */
  public void reapplied(AppliedObject o, Instant now) {
    lastReapply.put(o.ref(), now);
    for (BundleUnit u : o.units()) {
      reapplied.merge(u.name(), 1, Integer::sum);
      for (FieldSet s : u.set()) {
        drifting.remove(key(o.ref(), s.path()));
      }
    }
  }

  /** The counts and conflicts so far, for units not observed (e.g. their object was deleted). */
  public UnitDrift last(String unit) {
    return new UnitDrift(List.of(), reapplied.getOrDefault(unit, 0), conflicts.get(unit));
  }

  private boolean conflicted(BundleUnit u) {
    return conflicts.containsKey(u.name());
  }

  /** Records a revert; true when the field now counts as fought over. */
  private boolean revert(String key, Instant now) {
    Deque<Instant> times = reverts.computeIfAbsent(key, k -> new ArrayDeque<>());
    times.addLast(now);
    Instant from = now.minus(options.conflictWindow());
    while (!times.isEmpty() && times.peekFirst().isBefore(from)) {
      times.removeFirst();
    }
    return times.size() >= options.conflictReverts();
  }

  private static String key(ObjectReference ref, String path) {
    return ref + "\u0000" + path;
  }
}
