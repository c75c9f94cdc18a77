package io.kapro.hub.run;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.v1alpha2.GateStatus;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetStatus;
import io.kapro.hub.engine.EngineDecision;
import io.kapro.hub.engine.EngineResult;
import io.kapro.hub.gate.WebhookObservation;
import io.kapro.hub.gate.WebhookRequest;
import io.kapro.hub.kube.StatusUpdate;
import io.kapro.hub.kube.Times;
import io.kapro.hub.webhook.WebhookGateClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Calls the webhooks the engine asked for and records each answer on the wave's Targets as the
 * gate's Passed/Failed result, where the next engine step reads it back. A webhook is asked once
 * per run, stage, wave and gate: the answer is also kept in a {@link Memo}, so that a reconcile
 * that reads a stale cache (or follows a lost status write) records the answer again instead of
 * asking again.
 */
final class WebhookAnswers {
  private final KubernetesClient client;
  private final WebhookGateClient webhooks;
  private final Memo memo;

  WebhookAnswers(KubernetesClient client, WebhookGateClient webhooks, Memo memo) {
    this.client = client;
    this.webhooks = webhooks;
    this.memo = memo;
  }

  /** Answers already received, per run, stage, wave and gate; the oldest beyond 10,000 go. */
  static final class Memo {
    private final Map<String, WebhookObservation> answers =
        Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
              @Override
              protected boolean removeEldestEntry(Map.Entry<String, WebhookObservation> e) {
                return size() > 10_000;
              }
            });

    WebhookObservation answer(String key, Supplier<WebhookObservation> ask) {
      WebhookObservation known = answers.get(key);
      if (known != null) {
        return known;
      }
      WebhookObservation o = ask.get();
      answers.put(key, o);
      return o;
    }
  }

  void callAll(PromotionRun run, EngineResult result, Instant now) {
    for (EngineDecision d : result.decisions()) {
      if (d instanceof EngineDecision.CallWebhook call) {
        WebhookRequest r = call.request();
        String key =
            String.join(
                "/",
                run.getMetadata().getNamespace(),
                r.run(),
                r.stage(),
                Integer.toString(r.wave()),
                call.gate().name());
        WebhookObservation o = memo.answer(key, () -> webhooks.call(call.gate(), r));
        record(run, call, o, now);
      }
    }
  }

  private void record(
      PromotionRun run, EngineDecision.CallWebhook call, WebhookObservation o, Instant now) {
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
      StatusUpdate.update(
          client,
          Target.class,
          ns,
          t.getMetadata().getName(),
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
            return true;
          });
    }
  }
}
