package io.kapro.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code evidenceSink} block (disconnected mode) and its environment overrides. */
class EvidenceSinkConfigTest {
  @TempDir Path dir;
  Path key;
  Path creds;

  @BeforeEach
  void files() throws IOException {
    key =
        Files.writeString(
            dir.resolve("k.pub"), "-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----\n");
    creds =
        Files.writeString(
            dir.resolve("signer.pem"),
            "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n"
                + "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n");
  }

  String yaml(String sink) {
    return """
        cluster: {namespace: team-a, name: edge-1}
        hub: {address: "hub.example:8443"}
        bundleSource:
          registry: {url: "127.0.0.1:5000", repository: kapro/team-a/edge-1, insecure: true}
        trustedKeys: [%s]
        allow:
          - {apiVersion: helm.toolkit.fluxcd.io/v2, kind: HelmRelease, fields: [spec.chart.spec.version]}
        stateDir: %s
        %s
        """
        .formatted(key, dir.resolve("state"), sink);
  }

  AgentConfig parse(String sink, Map<String, String> env) {
    return AgentConfigLoader.parse(yaml(sink), env, "agent.yaml");
  }

  List<ConfigProblem> problems(String sink, Map<String, String> env) {
    try {
      parse(sink, env);
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("config was accepted");
  }

  @Test
  void offByDefaultAndWhenDisabled() {
    assertThat(parse("", Map.of()).evidenceSink()).isEmpty();
    assertThat(parse("evidenceSink: {enabled: false, interval: 5s}", Map.of()).evidenceSink())
        .isEmpty();
    assertThat(parse("evidenceSink: {}", Map.of()).evidenceSink()).isEmpty();
  }

  @Test
  void enabledWithDefaultsOrAConfiguredSigner() {
    assertThat(parse("evidenceSink: {enabled: true}", Map.of()).evidenceSink())
        .hasValueSatisfying(
            s -> {
              assertThat(s.interval()).isEqualTo(EvidenceSinkConfig.DEFAULT_INTERVAL);
              assertThat(s.credentialsFile()).isEmpty();
            });
    assertThat(
            parse(
                    "evidenceSink: {enabled: true, interval: 2m, credentialsFile: " + creds + "}",
                    Map.of())
                .evidenceSink())
        .hasValueSatisfying(
            s -> {
              assertThat(s.interval()).isEqualTo(Duration.ofMinutes(2));
              assertThat(s.credentialsFile()).contains(creds);
            });
  }

  @Test
  void environmentOverridesTurnItOnAndSetItsFields() {
    assertThat(
            parse(
                    "",
                    Map.of(
                        "KAPRO_AGENT_EVIDENCE_SINK", "true",
                        "KAPRO_AGENT_EVIDENCE_INTERVAL", "10s",
                        "KAPRO_AGENT_EVIDENCE_CREDENTIALS_FILE", creds.toString()))
                .evidenceSink())
        .hasValueSatisfying(
            s -> {
              assertThat(s.interval()).isEqualTo(Duration.ofSeconds(10));
              assertThat(s.credentialsFile()).contains(creds);
            });
    assertThat(problems("", Map.of("KAPRO_AGENT_EVIDENCE_SINK", "yes")))
        .singleElement()
        .satisfies(p -> assertThat(p.path()).contains("KAPRO_AGENT_EVIDENCE_SINK"));
  }

  @Test
  void hostileValuesAreProblemsNamingTheField() throws IOException {
    Path keyOnly =
        Files.writeString(
            dir.resolve("key-only.pem"),
            "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n");
    Path big = dir.resolve("big.pem");
    Files.write(big, new byte[70 * 1024]);
    assertPath("evidenceSink: true", "evidenceSink");
    assertPath("evidenceSink: [true]", "evidenceSink");
    assertPath("evidenceSink: {enabled: yes please}", "evidenceSink.enabled");
    assertPath("evidenceSink: {enabled: true, target: hub}", "evidenceSink.target");
    assertPath("evidenceSink: {enabled: true, interval: 0s}", "evidenceSink.interval");
    assertPath("evidenceSink: {enabled: true, interval: forever}", "evidenceSink.interval");
    assertPath("evidenceSink: {enabled: true, interval: 48h}", "evidenceSink.interval");
    assertPath(
        "evidenceSink: {enabled: true, credentialsFile: signer.pem}",
        "evidenceSink.credentialsFile");
    assertPath(
        "evidenceSink: {enabled: true, credentialsFile: " + dir.resolve("none.pem") + "}",
        "evidenceSink.credentialsFile");
    assertPath(
        "evidenceSink: {enabled: true, credentialsFile: " + keyOnly + "}",
        "evidenceSink.credentialsFile");
    assertPath(
        "evidenceSink: {enabled: true, credentialsFile: " + big + "}",
        "evidenceSink.credentialsFile");
    // a disabled block is still checked: a typo must not hide
    assertPath("evidenceSink: {enabled: false, interval: 0s}", "evidenceSink.interval");
  }

  private void assertPath(String sink, String path) {
    List<ConfigProblem> ps = problems(sink, Map.of());
    assertThat(ps).as(sink).isNotEmpty();
    assertThat(ps).as(sink).anySatisfy(p -> assertThat(p.path()).isEqualTo(path));
    assertThat(ps).allSatisfy(p -> assertThat(p.fix()).isNotBlank());
  }
}
