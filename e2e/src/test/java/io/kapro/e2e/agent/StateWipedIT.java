package io.kapro.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.RejectionReason;
import io.kapro.hub.gateway.ClusterEntry;
import io.kapro.hub.gateway.LinkSettings;
import io.kapro.oci.bundle.BundleRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario "state wiped" (issue 18): the agent process is restarted with an empty state directory
 * while its state Secret cannot be read (RBAC answers 403) and the registry's {@code desired} tag
 * was moved back to an older, validly signed bundle. The agent applies nothing and tells the hub
 * why; the real gateway also tells it the floor and the last evidence number it holds.
 */
class StateWipedIT {
  static final String STATE_SECRET = "/api/v1/namespaces/kapro-system/secrets/kapro-agent-state";

  @TempDir Path dir;

  @Test
  void restartedWithAnEmptyStateDirectoryAndAnUnreadableSecretTheAgentAppliesNoOlderBundle()
      throws Exception {
    try (AgentWorld w = new AgentWorld(dir, Duration.ofSeconds(5), "1s")) {
      w.awaitBaseline();
      String older = w.publish(1, "6.5.4", "v1.2.0");
      w.publish(2, "6.6.0", "v2.0.0");
      AgentProcess agent = w.startAgent("agent-1.log");
      try {
        await()
            .atMost(Duration.ofSeconds(90))
            .alias("converged 2; agent log: " + agent.log)
            .until(() -> w.hubKnowsConverged(2));
        assertThat(agent.stop(Duration.ofSeconds(30))).isZero();
      } finally {
        agent.close();
      }
      long hubLast = w.hub.sink.items.lastKey();
      // what the hub knows from the evidence (the real directory reads it from Cluster status)
      w.hub.directory.put(
          new ClusterEntry(
              HubStandIn.CLUSTER,
              Set.of(),
              new LinkSettings(Duration.ofSeconds(5), Duration.ofSeconds(30)),
              Optional.empty(),
              2,
              hubLast));

      // the attack: the registry serves the older signed bundle again ...
      w.publisher.putManifest(
          AgentWorld.REPO,
          BundleRepository.DESIRED_TAG,
          w.publisher.fetchManifest(AgentWorld.REPO, older, 64 * 1024));
      // ... the pod comes back with an empty state directory, and its state Secret is unreadable
      try (Stream<Path> files = Files.walk(w.stateDir)) {
        files
            .sorted(Comparator.reverseOrder())
            .filter(p -> !p.equals(w.stateDir))
            .forEach(StateWipedIT::delete);
      }
      w.kube.failGets(STATE_SECRET, 403, "secrets \"kapro-agent-state\" is forbidden", 10_000);

      AgentProcess again = w.startAgent("agent-2.log");
      try {
        await()
            .atMost(Duration.ofSeconds(90))
            .alias("the agent reports why; agent log: " + again.log)
            .until(() -> stateUnavailable(w).isPresent());
        AgentMessage why = stateUnavailable(w).orElseThrow();
        assertThat(why.getRejection().getBundleDigest()).isEqualTo(older);
        assertThat(why.getRejection().getNumber())
            .as("numbered above what the hub holds, so it is not ignored")
            .isGreaterThan(hubLast);
        assertThat(why.getRejection().getDetail())
            .contains("Secret kapro-system/kapro-agent-state")
            .contains("forbidden");
        assertThat(
                w.get(AgentWorld.HR)
                    .path("spec")
                    .path("chart")
                    .path("spec")
                    .path("version")
                    .asText())
            .isEqualTo("6.6.0");
        assertThat(
                w.get(AgentWorld.APP).path("spec").path("source").path("targetRevision").asText())
            .isEqualTo("v2.0.0");
        assertThat(again.output()).contains("high-water mark unreadable");
      } finally {
        again.close();
      }
    }
  }

  private static Optional<AgentMessage> stateUnavailable(AgentWorld w) {
    return w.hub.sink.items.values().stream()
        .filter(
            m ->
                m.hasRejection()
                    && m.getRejection().getReason()
                        == RejectionReason.REJECTION_REASON_STATE_UNAVAILABLE)
        .findFirst();
  }

  private static void delete(Path p) {
    try {
      Files.delete(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
