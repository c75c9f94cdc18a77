package io.kapro.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kapro.agent.v1.RejectionReason;
import io.kapro.e2e.fault.FaultProxy;
import io.kapro.oci.testing.HostileRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * E2e scenario "hostile registry" (issue 18): the agent process pulls through a loopback server
 * that answers with endless bodies, then stalls (the fault harness's {@link FaultProxy} black
 * hole), then redirects to another host. The agent stays alive ({@code /healthz} answers 200
 * throughout), reports the fault (rejection evidence at the hub, {@code /readyz} and the pull error
 * metric), and converges once the registry behaves.
 */
class HostileRegistryIT {
  private static final Pattern HEALTH =
      Pattern.compile("Health endpoints on http://127.0.0.1:(\\d+)/");

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theAgentSurvivesEndlessBodiesStallsAndRedirectsAndConvergesOnceTheRegistryBehaves()
      throws Exception {
    try (AgentWorld w = new AgentWorld(dir, Duration.ofSeconds(5), "1s");
        HostileRegistry hostile = HostileRegistry.start(w.registry.host());
        FaultProxy proxy = FaultProxy.start("127.0.0.1", port(hostile.hostAndPort()))) {
      // the agent reads its bundles through the fault proxy in front of the hostile registry
      String config = Files.readString(w.config);
      String before = "127.0.0.1:" + w.registryProxy.port() + "\"";
      assertThat(config).contains(before);
      Files.writeString(
          w.config, config.replace(before, proxy.hostAndPort() + "\", requestTimeout: 2s"));
      w.awaitBaseline();
      w.publish(1, "6.5.4", "v1.2.0");
      hostile.mode(HostileRegistry.Mode.ENDLESS);

      try (AgentProcess agent = w.startAgent("agent.log")) {
        try {
          scenario(w, hostile, proxy, agent);
        } catch (AssertionError | RuntimeException e) {
          String out = agent.output();
          throw new AssertionError(
              e.getMessage()
                  + "\nagent output (tail):\n"
                  + out.substring(Math.max(0, out.length() - 6000)),
              e);
        }
      }
    }
  }

  private void scenario(AgentWorld w, HostileRegistry hostile, FaultProxy proxy, AgentProcess agent)
      throws Exception {
    {
      {
        int health = healthPort(agent);
        // endless bodies: refused at the limit, reported to the hub, retried
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () ->
                    w.hub.sink.rejections().stream()
                        .anyMatch(
                            m ->
                                m.getRejection().getReason()
                                    == RejectionReason.REJECTION_REASON_TOO_LARGE));
        await().until(() -> hostile.hostileAnswers() >= 3);
        assertAlive(agent, health);
        assertThat(get(health, "/readyz").body()).contains("bundle-source-healthy");

        // stalls: every connection is held open without an answer
        long errors = pullErrors(health);
        proxy.blackhole();
        await().atMost(Duration.ofSeconds(60)).until(() -> pullErrors(health) >= errors + 2);
        assertAlive(agent, health);
        assertThat(
                w.get(AgentWorld.HR)
                    .path("spec")
                    .path("chart")
                    .path("spec")
                    .path("version")
                    .asText())
            .isEqualTo("6.5.0");

        // redirects to another host: followed without credentials, and the bundle converges
        proxy.passThrough();
        hostile.mode(HostileRegistry.Mode.REDIRECT);
        await().atMost(Duration.ofSeconds(90)).until(() -> w.hubKnowsConverged(1));
        assertThat(hostile.otherHostAuthorizations()).isNotEmpty().containsOnly("");

        // a well-behaved registry: the next bundle converges as usual
        hostile.mode(HostileRegistry.Mode.PASS);
        w.publish(2, "6.6.0", "v2.0.0");
        await().atMost(Duration.ofSeconds(90)).until(() -> w.hubKnowsConverged(2));
        assertAlive(agent, health);
        assertThat(get(health, "/readyz").statusCode()).isEqualTo(200);
        assertThat(w.hub.sink.rejections().stream().map(m -> m.getRejection().getReason()))
            .containsOnly(RejectionReason.REJECTION_REASON_TOO_LARGE);
      }
    }
  }

  private static int port(String hostAndPort) {
    return Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
  }

  private int healthPort(AgentProcess agent) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              Matcher m = HEALTH.matcher(agent.output());
              return m.find() ? Integer.parseInt(m.group(1)) : 0;
            },
            p -> p > 0);
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void assertAlive(AgentProcess agent, int health) throws Exception {
    assertThat(agent.isAlive()).isTrue();
    assertThat(get(health, "/healthz").statusCode()).isEqualTo(200);
  }

  private long pullErrors(int health) throws Exception {
    Matcher m =
        Pattern.compile("kapro_agent_pulls_total\\{result=\"error\"} ([0-9.E]+)")
            .matcher(get(health, "/metrics").body());
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }
}
