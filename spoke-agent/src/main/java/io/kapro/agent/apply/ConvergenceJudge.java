package io.kapro.agent.apply;

import com.fasterxml.jackson.databind.JsonNode;
import io.kapro.agent.apply.argocd.ArgoJudge;
import io.kapro.agent.apply.flux.FluxJudge;
import io.kapro.agent.config.ManagedKind;
import io.kapro.oci.bundle.BundleUnit;
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

  /** Reads each applied object once and judges every unit on it, keyed by unit name. */
  public Map<String, Judgement> observe(List<AppliedObject> applied) {
    Map<String, Judgement> out = new LinkedHashMap<>();
    for (AppliedObject a : applied) {
      Optional<? extends JsonNode> object = objects.get(a.ref(), a.kind());
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
    return out;
  }
}
