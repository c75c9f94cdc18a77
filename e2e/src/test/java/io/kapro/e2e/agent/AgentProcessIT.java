package io.kapro.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kapro.agent.evidence.FileOutbox;
import io.kapro.agent.v1.AgentMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as its own JVM ({@code -Xmx64m -XX:+UseSerialGC}) against the real gateway on real mTLS
 * after real enrollment with a bootstrap token, the real registry and the mock API server with fake
 * Flux and Argo CD controllers.
 */
class AgentProcessIT {
  @TempDir Path dir;

  @Test
  void killedBetweenWritingEvidenceAndItsAckLosesNothing() throws Exception {
    try (AgentWorld w = new AgentWorld(dir, Duration.ofSeconds(5), "1s")) {
      w.awaitBaseline();
      w.publish(1, "6.5.4", "v1.2.0");
      AgentProcess agent = w.startAgent("agent-1.log");
      try {
        await()
            .atMost(Duration.ofSeconds(90))
            .alias("converged 1; agent log: " + agent.log)
            .until(() -> w.hubKnowsConverged(1));

        // The hub's next status write hangs: evidence is in the agent's outbox, unacked.
        w.hub.sink.hold();
        w.publish(2, "6.6.0", "v2.0.0");
        await().atMost(Duration.ofSeconds(60)).until(() -> w.hub.sink.heldWrites.get() > 0);
        agent.kill();
      } finally {
        agent.close();
      }

      List<AgentMessage> pending;
      long lastNumber;
      try (FileOutbox outbox = FileOutbox.open(w.stateDir.resolve("outbox"))) {
        pending = outbox.pending();
        lastNumber = outbox.lastNumber();
      }
      assertThat(pending).as("unacked evidence left by the killed agent").isNotEmpty();
      w.hub.sink.release(); // the hub made the batch durable, but the agent never heard the ack

      AgentProcess again = w.startAgent("agent-2.log");
      try {
        // the hub already holds the released batch, so the checks below could pass before the
        // restarted agent has even started (and a SIGTERM that early ends the JVM with 143):
        // first see it run and handle its bundle
        await()
            .atMost(Duration.ofSeconds(90))
            .alias("restarted agent handles its bundle; agent log: " + again.log)
            .until(() -> again.output().contains("bundle.digest=sha256:"));
        await()
            .atMost(Duration.ofSeconds(90))
            .alias("resent after restart; agent log: " + again.log)
            .until(() -> pending.stream().allMatch(p -> p.equals(w.hub.sink.items.get(number(p)))));
        await().atMost(Duration.ofSeconds(60)).until(() -> w.hubKnowsConverged(2));
        // None lost: every number the agent ever assigned reached the hub, in order.
        // one snapshot: the agent keeps reporting (a heartbeat's evidence may land meanwhile)
        List<Long> received = List.copyOf(w.hub.sink.items.keySet());
        long max = received.getLast();
        assertThat(max).isGreaterThanOrEqualTo(lastNumber);
        assertThat(received)
            .containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, max).boxed().toList());
        int code = again.stop(Duration.ofSeconds(30));
        assertThat(again.output())
            .as("a clean stop logs no failure")
            .doesNotContain("closing the agent failed");
        assertThat(code).as(again.output()).isZero();
        assertThat(again.output())
            .contains("cluster=team-a/edge-1")
            .contains("bundle.digest=sha256:")
            .contains("agent stopped");
      } finally {
        again.close();
      }
    }
  }

  @Test
  void afterAPartitionTheHubKnowsTheConvergedStateWithinOneHeartbeat() throws Exception {
    Duration heartbeat = Duration.ofSeconds(5);
    try (AgentWorld w = new AgentWorld(dir, heartbeat, "1s")) {
      w.awaitBaseline();
      w.publish(1, "6.5.4", "v1.2.0");
      try (AgentProcess agent = w.startAgent("agent.log")) {
        await().atMost(Duration.ofSeconds(90)).until(() -> w.hubKnowsConverged(1));

        w.hub.stop();
        w.publish(2, "6.6.0", "v2.0.0");
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    agent
                        .output()
                        .contains("bundle 2 settled: podinfo=CONVERGED, guestbook=CONVERGED"));
        assertThat(w.hubKnowsConverged(2)).isFalse();

        w.hub.start();
        // The agent reconnects on its own backoff (up to 60 s); from its hello on, one heartbeat.
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> w.hub.connectivity.connectivity(HubStandIn.CLUSTER).isPresent());
        await()
            .atMost(heartbeat)
            .pollInterval(Duration.ofMillis(50))
            .until(() -> w.hubKnowsConverged(2));
      }
    }
  }

  private static long number(AgentMessage m) {
    return m.hasEvidence() ? m.getEvidence().getNumber() : m.getRejection().getNumber();
  }
}
