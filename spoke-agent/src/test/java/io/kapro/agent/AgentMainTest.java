package io.kapro.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentMainTest {
  @TempDir Path dir;

  private String run(Map<String, String> env, String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = AgentMain.run(args, env, new PrintStream(err, true, StandardCharsets.UTF_8));
    return code + ":" + err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void anInvalidConfigListsEveryProblemAndExitsWith2() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("agent.yaml"),
            """
            cluster: {namespace: Team_A}
            hub: {address: "no-port"}
            pollInterval: 2ms
            """);
    String out = run(Map.of("KAPRO_AGENT_TYPO", "x"), "--config", config.toString());
    assertThat(out)
        .startsWith("2:")
        .contains("cluster.namespace")
        .contains("cluster.name")
        .contains("hub.address")
        .contains("bundleSource")
        .contains("trustedKeys")
        .contains("pollInterval")
        .contains("stateDir")
        .contains("env KAPRO_AGENT_TYPO");
  }

  @Test
  void aMissingConfigFileAndBadFlagsExitWith2() {
    assertThat(run(Map.of(), "--config", dir.resolve("nope.yaml").toString()))
        .startsWith("2:")
        .contains("nope.yaml");
    assertThat(run(Map.of(), "--frobnicate")).startsWith("2:").contains("unknown argument");
    assertThat(run(Map.of(), "--config")).startsWith("2:").contains("--config needs a value");
    assertThat(run(Map.of(), "--secret-namespace", "Not_A_Namespace"))
        .startsWith("2:")
        .contains("not a namespace name");
  }

  @Test
  void flagsAndEnvironmentDefaults() {
    AgentMain.Args a =
        AgentMain.parse(
            new String[0], Map.of("KAPRO_CONFIG", "/x/a.yaml", "POD_NAMESPACE", "kapro"));
    assertThat(a.config()).isEqualTo(Path.of("/x/a.yaml"));
    assertThat(a.secretNamespace()).contains("kapro");
    AgentMain.Args b =
        AgentMain.parse(
            new String[] {"--config", "/y.yaml", "--secret-namespace", "ns", "--check-config"},
            Map.of());
    assertThat(b)
        .isEqualTo(new AgentMain.Args(Path.of("/y.yaml"), java.util.Optional.of("ns"), true));
    assertThat(AgentMain.parse(new String[0], Map.of()).config())
        .isEqualTo(Path.of("/etc/kapro/agent.yaml"));
    assertThatThrownBy(() -> AgentMain.parse(new String[] {"--config", "--check-config"}, Map.of()))
        .hasMessageContaining("needs a value");
  }
}
