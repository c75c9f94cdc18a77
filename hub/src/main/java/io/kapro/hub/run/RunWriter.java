package io.kapro.hub.run;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.BundleRef;
import io.kapro.api.v1alpha2.GateStatus;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.TargetSpec;
import io.kapro.api.v1alpha2.TargetStatus;
import io.kapro.hub.engine.EngineDecision;
import io.kapro.hub.engine.TargetKey;
import io.kapro.hub.gate.GateOutcome;
import io.kapro.hub.kube.StatusUpdate;
import io.kapro.hub.kube.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes the engine's Target decisions to the API: one Target object per cluster × stage. */
final class RunWriter {
  private static final Logger LOG = LoggerFactory.getLogger(RunWriter.class);

  private final KubernetesClient client;

  RunWriter(KubernetesClient client) {
    this.client = client;
  }

  void apply(
      PromotionRun run,
      EngineDecision.TargetDecision d,
      Map<TargetKey, Target> existing,
      Instant now) {
    String ns = run.getMetadata().getNamespace();
    switch (d) {
      case EngineDecision.CreateTarget c -> create(run, c, now);
      case EngineDecision.HoldTarget h ->
          status(ns, existing.get(h.key()), TargetPhase.Waiting, h.message(), h.gates(), now);
      case EngineDecision.MarkEligible m ->
          status(
              ns,
              existing.get(m.key()),
              TargetPhase.Publishing,
              "gates passed; publishing",
              m.gates(),
              now);
      case EngineDecision.FailTarget f ->
          status(
              ns,
              existing.get(f.key()),
              TargetPhase.Failed,
              f.reason() + ": " + f.message(),
              null,
              now);
      case EngineDecision.SkipTarget s ->
          status(ns, existing.get(s.key()), TargetPhase.Skipped, s.message(), null, now);
      case EngineDecision.CancelTarget s ->
          status(ns, existing.get(s.key()), TargetPhase.Cancelled, s.message(), null, now);
      case EngineDecision.SupersedeTarget s ->
          status(ns, existing.get(s.key()), TargetPhase.Superseded, s.message(), null, now);
      case EngineDecision.RollbackTarget r -> rollback(ns, existing.get(r.key()), r, now);
    }
  }

  private void create(PromotionRun run, EngineDecision.CreateTarget c, Instant now) {
    String name = io.kapro.api.Names.target(run.getMetadata().getName(), c.stage(), c.cluster());
    Target t = new Target();
    t.getMetadata().setName(name);
    t.getMetadata().setNamespace(run.getMetadata().getNamespace());
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Kapro.Labels.FLEET, run.getSpec().getFleet());
    labels.put(Kapro.Labels.PROMOTION, run.getSpec().getPromotion());
    labels.put(Kapro.Labels.PROMOTION_RUN, run.getMetadata().getName());
    labels.put(Kapro.Labels.STAGE, c.stage());
    labels.put(Kapro.Labels.CLUSTER, c.cluster());
    labels.put(Kapro.Labels.PHASE, TargetPhase.Pending.name());
    labels.put(Kapro.Labels.MANAGED_BY, Kapro.Labels.MANAGED_BY_VALUE);
    t.getMetadata().setLabels(labels);
    t.getMetadata()
        .setOwnerReferences(
            List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion(run.getApiVersion())
                    .withKind(run.getKind())
                    .withName(run.getMetadata().getName())
                    .withUid(run.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build()));
    TargetSpec spec = new TargetSpec();
    spec.setRun(run.getMetadata().getName());
    spec.setCluster(c.cluster());
    spec.setStage(c.stage());
    spec.setWave(c.wave() - 1);
    spec.setUnits(RunStatusWriter.units(c.units()));
    spec.setRollback(Boolean.TRUE.equals(run.getSpec().getRollback()));
    t.setSpec(spec);
    Target created;
    try {
      created = client.resource(t).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        LOG.debug("Target {} exists already", name);
        return;
      }
      throw e;
    }
    TargetStatus status = new TargetStatus();
    status.setPhase(io.kapro.api.v1alpha2.TargetPhase.Pending);
    status.setSince(Times.format(now));
    status.setMessage("created in wave " + c.wave());
    created.setStatus(status);
    client.resource(created).updateStatus();
    LOG.debug("created Target {}", name);
  }

  private void status(
      String ns,
      Target t,
      TargetPhase phase,
      String message,
      List<GateOutcome> gates,
      Instant now) {
    if (t == null) {
      return;
    }
    // the engine decided from the phase it saw: a Target that has moved on since (the engine ran
    // again on a cache that had not yet seen its own last write, or the Target reconciler
    // published it meanwhile) is not moved back; the change wakes the run reconciler again.
    // Written from the copy the engine decided on (the run reconciler's cache): one patch that
    // carries its resourceVersion, so a Target changed since is answered 409 and the phase checked
    // again on a fresh read (compare-and-set on the phase, without a read first)
    TargetPhase seen = t.getStatus() == null ? null : t.getStatus().getPhase();
    StatusUpdate.update(
        client,
        t,
        cur -> {
          TargetStatus s = cur.getStatus() == null ? new TargetStatus() : cur.getStatus();
          if (s.getPhase() != seen && s.getPhase() != phase) {
            LOG.debug(
                "Target {}: not moved to {}, it is {} now (decided on {})",
                t.getMetadata().getName(),
                phase,
                s.getPhase(),
                seen);
            return false;
          }
          if (s.getPhase() != phase) {
            s.setSince(Times.format(now));
          }
          s.setPhase(phase);
          s.setMessage(message);
          if (gates != null) {
            s.setGates(gates(s.getGates(), gates, now));
          }
          cur.setStatus(s);
          return true;
        });
  }

  private void rollback(String ns, Target t, EngineDecision.RollbackTarget r, Instant now) {
    if (t == null) {
      return;
    }
    var resource =
        client.resources(Target.class).inNamespace(ns).withName(t.getMetadata().getName());
    resource.edit(
        cur -> {
          cur.getSpec().setRollback(true);
          cur.getSpec().setUnits(RunStatusWriter.units(r.units()));
          return cur;
        });
    StatusUpdate.update(
        client,
        Target.class,
        ns,
        t.getMetadata().getName(),
        cur -> {
          TargetStatus s = cur.getStatus() == null ? new TargetStatus() : cur.getStatus();
          s.setPhase(io.kapro.api.v1alpha2.TargetPhase.Publishing);
          s.setSince(Times.format(now));
          s.setBundle((BundleRef) null);
          s.setMessage(
              "rolling back to "
                  + r.units().stream().map(u -> u.name() + "=" + u.version()).toList());
          cur.setStatus(s);
          return true;
        });
  }

  /** Gate results as status entries; {@code since} moves only when a gate's result changes. */
  static List<GateStatus> gates(List<GateStatus> before, List<GateOutcome> results, Instant now) {
    List<GateStatus> out = new ArrayList<>();
    for (GateOutcome r : results) {
      GateStatus g = new GateStatus();
      g.setName(r.name());
      g.setType(r.type());
      g.setResult(r.verdict());
      g.setMessage(r.message());
      g.setSince(Times.format(now));
      if (before != null) {
        for (GateStatus b : before) {
          if (Objects.equals(b.getName(), g.getName()) && b.getResult() == g.getResult()) {
            g.setSince(b.getSince());
          }
          if (Objects.equals(b.getName(), g.getName())) {
            g.setMetrics(b.getMetrics()); // a metrics gate's measurements stay with it
          }
        }
      }
      out.add(g);
    }
    return out;
  }
}
