package io.kapro.hub.it;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.v1alpha2.Evidence;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.UnitEvidence;
import io.kapro.api.v1alpha2.UnitPhase;
import io.kapro.hub.kube.Times;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Test double for the agents and the evidence link: every Published Target of a cluster the filter
 * accepts reports Converged evidence, written to the Target's status as the gateway does.
 */
final class FakeAgents implements AutoCloseable {
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  private final AtomicLong evidence = new AtomicLong();
  volatile Predicate<Target> converges = t -> true;

  FakeAgents(KubernetesClient client, String namespace, Clock clock) {
    executor.scheduleWithFixedDelay(
        () -> {
          try {
            for (Target t :
                client.resources(Target.class).inNamespace(namespace).list().getItems()) {
              if (t.getStatus() != null
                  && t.getStatus().getPhase() == TargetPhase.Published
                  && converges.test(t)) {
                converge(client, t, clock);
              }
            }
          } catch (RuntimeException e) {
            // the API server went away at the end of a test, or a write raced: try again next round
          }
        },
        50,
        50,
        TimeUnit.MILLISECONDS);
  }

  private void converge(KubernetesClient client, Target t, Clock clock) {
    client
        .resources(Target.class)
        .inNamespace(t.getMetadata().getNamespace())
        .withName(t.getMetadata().getName())
        .editStatus(
            cur -> {
              if (cur.getStatus().getPhase() != TargetPhase.Published) {
                return cur;
              }
              Evidence e = new Evidence();
              e.setNumber(evidence.incrementAndGet());
              e.setReceivedAt(Times.format(clock.instant()));
              e.setUnits(
                  cur.getSpec().getUnits().stream()
                      .map(
                          u -> {
                            UnitEvidence ue = new UnitEvidence();
                            ue.setUnit(u.getName());
                            ue.setPhase(UnitPhase.Converged);
                            ue.setObservedRevision(u.getVersion());
                            ue.setObservedAt(Times.format(clock.instant()));
                            return ue;
                          })
                      .toList());
              cur.getStatus().setEvidence(e);
              cur.getStatus().setPhase(TargetPhase.Converged);
              cur.getStatus().setSince(Times.format(clock.instant()));
              cur.getStatus().setMessage("converged");
              return cur;
            });
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
