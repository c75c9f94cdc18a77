package io.kapro.hub.it;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.evidence.KubeEvidenceSink;
import io.kapro.hub.gateway.EvidenceBatch;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Test double for the agents and the evidence link: every Published Target of a cluster the filter
 * accepts reports Converged evidence, written by the gateway's own sink ({@link KubeEvidenceSink}).
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

  /** Converged evidence of every unit, through the gateway's own sink (as an agent's would be). */
  private void converge(KubernetesClient client, Target t, Clock clock) {
    ClusterId cluster = new ClusterId(t.getMetadata().getNamespace(), t.getSpec().getCluster());
    KubeEvidenceSink sink = new KubeEvidenceSink(client, clock);
    long number = Math.max(sink.appliedUpTo(cluster), evidence.get()) + 1;
    evidence.set(number);
    io.kapro.agent.v1.Evidence.Builder e =
        io.kapro.agent.v1.Evidence.newBuilder()
            .setNumber(number)
            .setBundleSequence(t.getStatus().getBundle().getSequence())
            .setBundleDigest(Objects.requireNonNullElse(t.getStatus().getBundle().getDigest(), ""));
    t.getSpec()
        .getUnits()
        .forEach(
            u ->
                e.addUnits(
                    io.kapro.agent.v1.UnitEvidence.newBuilder()
                        .setUnit(u.getName())
                        .setPhase(io.kapro.agent.v1.UnitPhase.UNIT_PHASE_CONVERGED)
                        .setDesiredVersion(u.getVersion())
                        .setObservedRevision(u.getVersion())));
    sink.write(
        cluster,
        new EvidenceBatch(
            List.of(io.kapro.agent.v1.AgentMessage.newBuilder().setEvidence(e).build())));
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
