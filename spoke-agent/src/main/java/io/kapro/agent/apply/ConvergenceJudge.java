package io.kapro.agent.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kapro.agent.apply.argocd.ArgoJudge;
import io.kapro.agent.apply.flux.FluxJudge;
import io.kapro.agent.config.ManagedKind;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.ObjectReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the objects a bundle patched and judges each unit ({@link FluxJudge}, {@link ArgoJudge}).
 * The judges are pure; this class only fetches.
 */
public final class ConvergenceJudge {
  private final LocalObjects objects;

  public ConvergenceJudge(LocalObjects objects) {
    this.objects = objects;
  }

  /** Judges one object's JSON for one unit, without a client. */
  public static Judgement judge(ManagedKind kind, JsonNode object, Desired desired) {
    return kind == ManagedKind.APPLICATION
        ? ArgoJudge.judge(object, desired)
        : FluxJudge.judge(kind, object, desired);
  }

  /**
   * What one look at the applied objects saw.
   *
   * @param judged the verdict per unit name
   * @param objects the objects as read, by reference (deleted ones are absent)
   */
  public record Observation(
      Map<String, Judgement> judged, Map<ObjectReference, ObjectNode> objects) {}

  /** Reads each applied object once and judges every unit on it, keyed by unit name. */
  public Map<String, Judgement> observe(List<AppliedObject> applied) {
    return look(applied).judged();
  }

  /** Like {@link #observe}, also returning the objects read (for the drift check). */
  public Observation look(List<AppliedObject> applied) {
    Map<String, Judgement> out = new LinkedHashMap<>();
    Map<ObjectReference, ObjectNode> read = new LinkedHashMap<>();
    for (AppliedObject a : applied) {
      Optional<ObjectNode> object = objects.get(a.ref(), a.kind());
      object.ifPresent(o -> read.put(a.ref(), o));
      for (BundleUnit unit : a.units()) {
        out.put(
            unit.name(),
            object
                .<Judgement>map(o -> judge(a.kind(), o, Desired.of(unit, a)))
                .orElseGet(
                    () ->
                        new Judgement(
                            ConvergencePhase.FAILED,
                            "",
                            a.ref() + " was deleted",
                            new ArrayList<>())));
      }
    }
    return new Observation(out, read);
  }

  /**
   * Watches exactly the applied objects and calls {@code onChange} whenever one of them changes,
   * {@code onFailure} with the object and the cause when a watch cannot start; closing the handle
   * stops every watch. One watch per kind, version and namespace, by name for an object alone in
   * its namespace ({@link BundleObjectsWatch}).
   */
  public AutoCloseable watch(
      List<AppliedObject> applied,
      Runnable onChange,
      java.util.function.BiConsumer<ObjectReference, Throwable> onFailure) {
    return BundleObjectsWatch.start(objects, applied, onChange, onFailure);
  }
}
