package io.kapro.agent.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kapro.agent.apply.ApplyException.Reason;
import io.kapro.agent.apply.MergePatchPlanner.Change;
import io.kapro.agent.apply.MergePatchPlanner.Plan;
import io.kapro.agent.config.AllowList;
import io.kapro.agent.config.FieldPath;
import io.kapro.agent.config.ManagedKind;
import io.kapro.agent.kube.KubeClient;
import io.kapro.agent.kube.KubeException;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.FieldSet;
import io.kapro.oci.bundle.ObjectReference;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a bundle's units to the local Flux and Argo CD objects, all or nothing.
 *
 * <p>Every unit is checked against the allow-list, every object is read and every patch is planned
 * before the first write. Then each object gets one patch holding only the allowed fields plus the
 * controller's reconcile request: planned as a JSON merge patch (a list is written back whole),
 * sent as the equivalent JSON Patch, with a {@code resourceVersion} test when a list is rewritten
 * (see {@link JsonPatches}). Should a write still fail, the objects already patched are put back
 * (best effort) and the bundle fails with {@code APPLY_FAILED}.
 */
public final class BundleApplier {
  /** Longest value a field may be set to. */
  public static final int MAX_VALUE_LENGTH = 1024;

  private static final Logger LOG = LoggerFactory.getLogger(BundleApplier.class);
  private static final int CONFLICT_RETRIES = 3;

  private final LocalObjects objects;
  private final AllowList allowList;
  private final Clock clock;
  private Instant lastToken = Instant.EPOCH;

  public BundleApplier(KubeClient client, AllowList allowList, Clock clock) {
    this.objects = new LocalObjects(client);
    this.allowList = allowList;
    this.clock = clock;
  }

  private record Target(
      ObjectReference ref, ManagedKind kind, List<BundleUnit> units, List<Change> changes) {}

  private record Ready(Target target, ObjectNode current, Plan plan) {}

  /**
   * Validates every unit, then patches every object.
   *
   * @return one entry per patched object, in bundle order
   * @throws ApplyException with the reason and the object/path concerned; nothing stays applied
   */
  public synchronized List<AppliedObject> apply(List<BundleUnit> units) {
    return apply(units, true);
  }

  /**
   * Puts the fields of already applied units back (drift policy {@code reapply}), with the same
   * checks and the same all-or-nothing write, but without a new reconcile request: the spec change
   * itself makes the controller reconcile, and the token the judges wait for stays the one of the
   * original apply.
   */
  public synchronized List<AppliedObject> reapply(List<BundleUnit> units) {
    return apply(units, false);
  }

  private List<AppliedObject> apply(List<BundleUnit> units, boolean request) {
    Map<ObjectReference, Target> targets = checkAllowed(units);
    List<Ready> ready = new ArrayList<>();
    List<ObjectReference> missing = new ArrayList<>();
    Map<ObjectReference, ObjectNode> current = new HashMap<>();
    for (Target t : targets.values()) {
      read(t).ifPresentOrElse(o -> current.put(t.ref, o), () -> missing.add(t.ref));
    }
    if (!missing.isEmpty()) {
      throw new ApplyException(
          Reason.OBJECT_NOT_FOUND,
          missing.getFirst(),
          null,
          "bundle targets objects that do not exist: " + missing + "; nothing was applied");
    }
    for (Target t : targets.values()) {
      ready.add(
          new Ready(
              t, current.get(t.ref), MergePatchPlanner.plan(t.ref, current.get(t.ref), t.changes)));
    }
    List<AppliedObject> applied = new ArrayList<>();
    List<Ready> written = new ArrayList<>();
    for (Ready r : ready) {
      try {
        applied.add(write(r, request));
        written.add(r);
      } catch (ApplyException e) {
        revert(written);
        throw e;
      }
    }
    return applied;
  }

  private Map<ObjectReference, Target> checkAllowed(List<BundleUnit> units) {
    Map<ObjectReference, Target> targets = new LinkedHashMap<>();
    for (BundleUnit unit : units) {
      ObjectReference ref = unit.object();
      ManagedKind kind =
          ManagedKind.of(ref.apiVersion(), ref.kind())
              .orElseThrow(
                  () ->
                      notAllowed(
                          ref,
                          null,
                          "unit "
                              + unit.name()
                              + ": "
                              + ref.apiVersion()
                              + " "
                              + ref.kind()
                              + " is not a kind the agent manages"));
      if (!kind.backend().bundleName().equals(unit.backend())) {
        throw notAllowed(
            ref,
            null,
            "unit "
                + unit.name()
                + ": backend '"
                + unit.backend()
                + "' does not manage "
                + ref.kind()
                + " (expected "
                + kind.backend().bundleName()
                + ")");
      }
      if (!allowList.covers(ref)) {
        throw notAllowed(
            ref,
            null,
            "unit "
                + unit.name()
                + ": "
                + ref
                + " ("
                + ref.apiVersion()
                + ") is not in the agent's allow-list");
      }
      if (unit.set().isEmpty()) {
        throw new ApplyException(
            Reason.INVALID_VALUE, ref, null, "unit " + unit.name() + " sets no fields");
      }
      Target target =
          targets.computeIfAbsent(
              ref, r -> new Target(r, kind, new ArrayList<>(), new ArrayList<>()));
      target.units.add(unit);
      for (FieldSet set : unit.set()) {
        target.changes.add(change(unit, ref, set, target.changes));
      }
    }
    return targets;
  }

  private Change change(BundleUnit unit, ObjectReference ref, FieldSet set, List<Change> earlier) {
    FieldPath path;
    try {
      path = FieldPath.parse(set.path());
    } catch (IllegalArgumentException e) {
      throw notAllowed(ref, set.path(), "unit " + unit.name() + ": " + e.getMessage());
    }
    if (!allowList.permits(ref, path)) {
      throw notAllowed(
          ref,
          set.path(),
          "unit "
              + unit.name()
              + ": field "
              + set.path()
              + " of "
              + ref
              + " is not in the agent's allow-list");
    }
    String v = set.value();
    if (v.isEmpty()
        || v.length() > MAX_VALUE_LENGTH
        || v.chars().anyMatch(Character::isISOControl)) {
      throw new ApplyException(
          Reason.INVALID_VALUE,
          ref,
          set.path(),
          "unit "
              + unit.name()
              + ": value for "
              + set.path()
              + " of "
              + ref
              + " must be 1.."
              + MAX_VALUE_LENGTH
              + " characters without control characters");
    }
    for (Change c : earlier) {
      if (c.path().equals(path) && !c.value().equals(v)) {
        throw new ApplyException(
            Reason.INVALID_VALUE,
            ref,
            set.path(),
            "field " + set.path() + " of " + ref + " is set twice with different values");
      }
    }
    return new Change(path, v, allowList.permitsExactly(ref, path));
  }

  private Optional<ObjectNode> read(Target t) {
    try {
      return objects.get(t.ref, t.kind);
    } catch (KubeException e) {
      throw new ApplyException(
          Reason.APPLY_FAILED, t.ref, null, "cannot read " + t.ref + ": " + e.getMessage(), e);
    }
  }

  private AppliedObject write(Ready r, boolean request) {
    Target t = r.target;
    Plan plan = r.plan;
    ObjectNode current = r.current;
    for (int attempt = 1; ; attempt++) {
      ObjectNode patch = plan.patch().deepCopy();
      String token = "";
      boolean sync = false;
      if (!request) {
        // reapply: the fields only
      } else if (ReconcileRequest.isFlux(t.kind)) {
        token = token(current);
        ReconcileRequest.flux(patch, token);
      } else {
        sync = ReconcileRequest.argo(patch, plan.working());
      }
      String precondition =
          plan.touchesList() ? current.path("metadata").path("resourceVersion").asText() : null;
      try {
        ObjectNode stored =
            objects.jsonPatch(
                t.ref, t.kind, JsonPatches.fromMergePatch(current, patch, precondition));
        long generation = stored.path("metadata").path("generation").asLong(0);
        LOG.info("Patched {} ({} field(s)), generation {}", t.ref, t.changes.size(), generation);
        return new AppliedObject(t.ref, t.kind, t.units, token, generation, clock.instant(), sync);
      } catch (KubeException e) {
        boolean conflict = e.code() == 409 || (precondition != null && e.code() == 422);
        if (conflict && attempt < CONFLICT_RETRIES) {
          LOG.debug("Conflict patching {}, re-reading (attempt {})", t.ref, attempt);
          current =
              read(t)
                  .orElseThrow(
                      () ->
                          new ApplyException(
                              Reason.OBJECT_NOT_FOUND,
                              t.ref,
                              null,
                              t.ref + " disappeared while the bundle was applied"));
          plan = MergePatchPlanner.plan(t.ref, current, t.changes);
          continue;
        }
        Reason reason = e.code() == 404 ? Reason.OBJECT_NOT_FOUND : Reason.APPLY_FAILED;
        throw new ApplyException(
            reason,
            t.ref,
            null,
            "the API server refused the patch of " + t.ref + ": " + e.getMessage(),
            e);
      }
    }
  }

  private void revert(List<Ready> written) {
    for (Ready r : written.reversed()) {
      try {
        ObjectNode now = objects.get(r.target.ref, r.target.kind).orElseThrow();
        objects.jsonPatch(
            r.target.ref, r.target.kind, JsonPatches.fromMergePatch(now, r.plan.revert(), null));
        LOG.warn("Reverted {} after a later patch of the same bundle failed", r.target.ref);
      } catch (KubeException | java.util.NoSuchElementException e) {
        LOG.error("Could not revert {} after a failed bundle: {}", r.target.ref, e.getMessage());
      }
    }
  }

  /** A fresh RFC 3339 token, never equal to the last one or to the object's current one. */
  private String token(ObjectNode current) {
    Instant now = clock.instant();
    if (!now.isAfter(lastToken)) {
      now = lastToken.plusNanos(1000);
    }
    String existing =
        current
            .path("metadata")
            .path("annotations")
            .path(ReconcileRequest.FLUX_REQUESTED_AT)
            .asText("");
    if (now.toString().equals(existing)) {
      now = now.plusNanos(1000);
    }
    lastToken = now;
    return now.toString();
  }

  private static ApplyException notAllowed(ObjectReference ref, String path, String message) {
    return new ApplyException(Reason.NOT_ALLOWED, ref, path, message + "; nothing was applied");
  }
}
