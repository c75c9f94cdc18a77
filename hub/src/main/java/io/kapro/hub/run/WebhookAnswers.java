package io.kapro.hub.run;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.v1alpha2.GateStatus;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetStatus;
import io.kapro.hub.gate.WebhookGateClient;
import io.kapro.hub.gate.WebhookObservation;
import io.kapro.hub.kube.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Calls the webhooks the engine asked for and records each answer on the wave's Targets as the
 * gate's Passed/Failed result, where the next engine step reads it back.
 */
final class WebhookAnswers {
  private final KubernetesClient client;
  private final WebhookGateClient webhooks;

  WebhookAnswers(KubernetesClient client, WebhookGateClient webhooks) {
    this.client = client;
    this.webhooks = webhooks;
  }

  void callAll(PromotionRun run, EngineResult result, Instant now) {
    for (Decision d : result.decisions()) {
      if (d instanceof Decision.CallWebhook call) {
        WebhookObservation o = webhooks.call(call.gate(), call.request());
        record(run, call, o, now);
      }
    }
  }

  private void record(
      PromotionRun run, Decision.CallWebhook call, WebhookObservation o, Instant now) {
    String ns = run.getMetadata().getNamespace();
    List<Target> wave =
        client
            .resources(Target.class)
            .inNamespace(ns)
            .withLabel(io.kapro.api.Kapro.Labels.PROMOTION_RUN, run.getMetadata().getName())
            .withLabel(io.kapro.api.Kapro.Labels.STAGE, call.request().stage())
            .list()
            .getItems()
            .stream()
            .filter(
                t ->
                    t.getSpec() != null
                        && t.getSpec().getWave() != null
                        && t.getSpec().getWave() == call.request().wave() - 1)
            .toList();
    for (Target t : wave) {
      client
          .resources(Target.class)
          .inNamespace(ns)
          .withName(t.getMetadata().getName())
          .editStatus(
              cur -> {
                TargetStatus s = cur.getStatus() == null ? new TargetStatus() : cur.getStatus();
                List<GateStatus> gates =
                    s.getGates() == null ? new ArrayList<>() : new ArrayList<>(s.getGates());
                gates.removeIf(g -> call.gate().name().equals(g.getName()));
                GateStatus g = new GateStatus();
                g.setName(call.gate().name());
                g.setType(io.kapro.api.v1alpha2.GateType.Webhook);
                g.setResult(
                    o.pass()
                        ? io.kapro.api.v1alpha2.GateResult.Passed
                        : io.kapro.api.v1alpha2.GateResult.Failed);
                g.setMessage(o.message());
                g.setSince(Times.format(now));
                gates.add(g);
                s.setGates(gates);
                cur.setStatus(s);
                return cur;
              });
    }
  }
}
