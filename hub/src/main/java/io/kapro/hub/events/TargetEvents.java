package io.kapro.hub.events;

import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every transition a Target has reached for its current bundle, derived from its status: published
 * (a bundle is set), then converged, degraded or failed. Keys carry the bundle sequence, so a
 * re-published Target (rollback, re-issue) reports again.
 */
public final class TargetEvents {
  private TargetEvents() {}

  public static List<KaproEvent> of(Target t, Instant now) {
    List<KaproEvent> out = new ArrayList<>();
    if (t.getSpec() == null || t.getStatus() == null || t.getStatus().getPhase() == null) {
      return out;
    }
    String version =
        t.getSpec().getUnits() == null
            ? null
            : t.getSpec().getUnits().stream()
                .map(u -> u.getName() + "=" + u.getVersion())
                .collect(Collectors.joining(","));
    Subject s = Subject.of(t, t.getSpec().getRun(), version);
    var bundle = t.getStatus().getBundle();
    TargetPhase phase = t.getStatus().getPhase();
    String seq = bundle == null || bundle.getSequence() == null ? "-" : "" + bundle.getSequence();
    String stage = t.getSpec().getStage();
    Integer wave = t.getSpec().getWave();
    String name = t.getMetadata().getName();
    String cluster = t.getSpec().getCluster();
    if (bundle != null && bundle.getSequence() != null && phase != TargetPhase.Superseded) {
      out.add(
          s.event(
              EventType.TARGET_PUBLISHED,
              "target.published/" + seq,
              stage,
              wave,
              name,
              cluster,
              "bundle seq-" + seq + " " + bundle.getDigest() + " published",
              now));
    }
    EventType end =
        switch (phase) {
          case Converged -> EventType.TARGET_CONVERGED;
          case Degraded -> EventType.TARGET_DEGRADED;
          case Failed -> EventType.TARGET_FAILED;
          default -> null;
        };
    if (end != null) {
      String message =
          t.getStatus().getMessage() == null ? phase.name() : t.getStatus().getMessage();
      out.add(s.event(end, end.type() + "/" + seq, stage, wave, name, cluster, message, now));
    }
    return out;
  }
}
