package io.kapro.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.oci.bundle.ObjectReference;
import io.kapro.oci.verify.ClusterIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigLoaderTest {
  @TempDir Path dir;
  Path key1;
  Path key2;

  @BeforeEach
  void keys() throws IOException {
    key1 =
        Files.writeString(
            dir.resolve("k1.pub"), "-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----\n");
    key2 =
        Files.writeString(
            dir.resolve("k2.pub"), "-----BEGIN PUBLIC KEY-----\nAB==\n-----END PUBLIC KEY-----\n");
  }

  String valid() {
    return """
        cluster: {namespace: team-a, name: prod-eu-1}
        hub: {address: "hub.example:8443"}
        bundleSource:
          registry:
            url: https://reg.example:5000
            repository: kapro/team-a/prod-eu-1
            username: puller
            password: s3cret
        trustedKeys: [%s, %s]
        allow:
          - apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            namespace: apps-*
            fields: [spec.chart.spec.version]
          - apiVersion: argoproj.io/v1alpha1
            kind: Application
            name: shop
            fields: ["spec.sources[*].targetRevision", "spec.source.helm.parameters[name=*].value"]
        stateDir: %s
        """
        .formatted(key1, key2, dir.resolve("state"));
  }

  AgentConfig parse(String yaml) {
    return AgentConfigLoader.parse(yaml, Map.of(), "test.yaml");
  }

  List<ConfigProblem> problems(String yaml, Map<String, String> env) {
    try {
      AgentConfigLoader.parse(yaml, env, "test.yaml");
    } catch (ConfigException e) {
      assertThat(e.getMessage()).contains("test.yaml").contains(e.problems().size() + " problem");
      return e.problems();
    }
    throw new AssertionError("config was accepted");
  }

  List<String> paths(String yaml) {
    return problems(yaml, Map.of()).stream().map(ConfigProblem::path).toList();
  }

  @Test
  void validConfigWithDefaults() {
    AgentConfig c = parse(valid());
    assertThat(c.cluster()).isEqualTo(new ClusterIdentity("team-a", "prod-eu-1"));
    assertThat(c.cluster().spiffeId()).isEqualTo("spiffe://kapro/ns/team-a/cluster/prod-eu-1");
    assertThat(c.hub().host()).isEqualTo("hub.example");
    assertThat(c.hub().port()).isEqualTo(8443);
    assertThat(c.bundleSource())
        .isEqualTo(
            new BundleSource.Registry(
                "https://reg.example:5000",
                "kapro/team-a/prod-eu-1",
                false,
                new RegistryCredentials.Basic("puller", "s3cret"),
                java.util.Optional.empty()));
    assertThat(c.trustedKeys()).containsExactly(key1, key2);
    assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.health()).isEqualTo(new HealthConfig("127.0.0.1", 8081));
    assertThat(c.bootstrapTokenFile()).isEmpty();
    ObjectReference hr =
        new ObjectReference("helm.toolkit.fluxcd.io/v2", "HelmRelease", "apps-x", "web");
    assertThat(c.allowList().permits(hr, FieldPath.parse("spec.chart.spec.version"))).isTrue();
    assertThat(c.allowList().permits(hr, FieldPath.parse("spec.chart.spec.chart"))).isFalse();
    ObjectReference other =
        new ObjectReference("helm.toolkit.fluxcd.io/v2", "HelmRelease", "kube-system", "web");
    assertThat(c.allowList().covers(other)).isFalse();
    ObjectReference app =
        new ObjectReference("argoproj.io/v1alpha1", "Application", "argocd", "shop");
    assertThat(c.allowList().permits(app, FieldPath.parse("spec.sources[1].targetRevision")))
        .isTrue();
    assertThat(
            c.allowList()
                .permits(app, FieldPath.parse("spec.source.helm.parameters[name=image.tag].value")))
        .isTrue();
    assertThat(c.allowList().permits(app, FieldPath.parse("spec.source.repoURL"))).isFalse();
    assertThat(c.toString()).doesNotContain("s3cret");
  }

  @Test
  void jitteredPollDelayStaysWithinTheJitter() {
    AgentConfig c = parse(valid() + "pollInterval: 10s\npollJitter: 0.2\n");
    Random random = new Random(7);
    for (int i = 0; i < 1000; i++) {
      assertThat(c.nextPollDelay(random)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
    }
  }

  @Test
  void layoutSourceAndFileLoad() throws IOException {
    String yaml =
        valid()
            .replaceAll(
                "(?s)bundleSource:.*?trustedKeys",
                "bundleSource: {layout: {path: /srv/layout}}\ntrustedKeys");
    Path file = Files.writeString(dir.resolve("agent.yaml"), yaml);
    AgentConfig c = AgentConfigLoader.load(file, Map.of());
    assertThat(c.bundleSource()).isEqualTo(new BundleSource.Layout(Path.of("/srv/layout")));
  }

  @Test
  void environmentOverridesWin() {
    AgentConfig c =
        AgentConfigLoader.parse(
            valid(),
            Map.of(
                "KAPRO_AGENT_HUB_ADDRESS", "10.0.0.7:443",
                "KAPRO_AGENT_POLL_INTERVAL", "1m30s",
                "KAPRO_AGENT_REGISTRY_PASSWORD", "from-env",
                "KAPRO_AGENT_TRUSTED_KEYS", key2.toString(),
                "KAPRO_AGENT_HEALTH_PORT", "0",
                "PATH", "/usr/bin"),
            "test.yaml");
    assertThat(c.hub().address()).isEqualTo("10.0.0.7:443");
    assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(((BundleSource.Registry) c.bundleSource()).credentials())
        .isEqualTo(new RegistryCredentials.Basic("puller", "from-env"));
    assertThat(c.trustedKeys()).containsExactly(key2);
    assertThat(c.health().port()).isZero();
  }

  @Test
  void badEnvironmentOverridesAreProblems() {
    List<ConfigProblem> p =
        problems(
            valid(),
            Map.of(
                "KAPRO_AGENT_HUB_ADRESS", "x:1",
                "KAPRO_AGENT_HEALTH_PORT", "eighty",
                "KAPRO_AGENT_REGISTRY_INSECURE", "yes",
                "KAPRO_AGENT_LAYOUT_PATH", "/srv/layout"));
    assertThat(p)
        .extracting(ConfigProblem::path)
        .containsExactlyInAnyOrder(
            "env KAPRO_AGENT_HUB_ADRESS",
            "env KAPRO_AGENT_HEALTH_PORT (health.port)",
            "env KAPRO_AGENT_REGISTRY_INSECURE (bundleSource.registry.insecure)",
            "bundleSource");
    assertThat(p)
        .filteredOn(x -> x.path().equals("env KAPRO_AGENT_HUB_ADRESS"))
        .singleElement()
        .satisfies(x -> assertThat(x.fix()).contains("KAPRO_AGENT_HUB_ADDRESS"));
  }

  @Test
  void emptyFileListsEveryMissingSection() {
    assertThat(paths(""))
        .containsExactlyInAnyOrder(
            "cluster", "hub", "bundleSource", "trustedKeys", "allow", "stateDir");
    assertThat(problems("", Map.of())).allSatisfy(p -> assertThat(p.fix()).isNotBlank());
  }

  @Test
  void unknownKeysAreReportedWithTheirPath() {
    String yaml = valid() + "pollIntervall: 10s\n";
    yaml =
        yaml.replace(
            "hub: {address: \"hub.example:8443\"}",
            "hub: {address: \"hub.example:8443\", tls: on}");
    yaml = yaml.replace("kind: HelmRelease\n", "kind: HelmRelease\n    names: x\n");
    assertThat(paths(yaml)).containsExactlyInAnyOrder("pollIntervall", "hub.tls", "allow[0].names");
  }

  @Test
  void wrongTypesAreAllReported() {
    String yaml =
        valid()
                .replace("cluster: {namespace: team-a, name: prod-eu-1}", "cluster: prod-eu-1")
                .replace("kind: HelmRelease", "kind: [HelmRelease]")
            + "pollInterval: 30\nhealth: {port: \"8081\"}\npollJitter: lots\n";
    yaml = yaml.replace("username: puller", "username: puller\n    insecure: \"yes\"");
    List<ConfigProblem> p = problems(yaml, Map.of());
    assertThat(p)
        .extracting(ConfigProblem::path)
        .containsExactlyInAnyOrder(
            "cluster",
            "allow[0].kind",
            "pollInterval",
            "health.port",
            "pollJitter",
            "bundleSource.registry.insecure");
    assertThat(p.getFirst().problem()).isEqualTo("must be a mapping, not the string 'prod-eu-1'");
  }

  @Test
  void badDurations() {
    // One grammar (Go's, io.kapro.api.Durations): ISO-8601 (PT2M) is no longer a second one.
    for (String bad :
        List.of("30", "-5s", "0s", "1x", "25h", "500ms", "\"\"", "1h-5m", "PTxS", "PT2M")) {
      List<ConfigProblem> p = problems(valid() + "pollInterval: " + bad + "\n", Map.of());
      assertThat(p)
          .as(bad)
          .singleElement()
          .extracting(ConfigProblem::path)
          .isEqualTo("pollInterval");
    }
    assertThat(parse(valid() + "pollInterval: 1m30s\n").pollInterval())
        .isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void relativeUnsafeAndMissingPaths() throws IOException {
    Path notPem = Files.writeString(dir.resolve("x.pem"), "hello");
    String yaml =
        valid()
                .replace(
                    "trustedKeys: [" + key1 + ", " + key2 + "]",
                    "trustedKeys: [keys/k1.pub, /etc/../etc/k.pub, /does/not/exist.pub, "
                        + notPem
                        + ", "
                        + key1
                        + ", "
                        + key1
                        + "]")
                .replace("stateDir: " + dir.resolve("state"), "stateDir: " + key1)
            + "bootstrapTokenFile: token\n";
    List<ConfigProblem> p = problems(yaml, Map.of());
    assertThat(p)
        .extracting(ConfigProblem::path)
        .containsExactlyInAnyOrder(
            "trustedKeys[0]",
            "trustedKeys[1]",
            "trustedKeys[2]",
            "trustedKeys[3]",
            "trustedKeys[5]",
            "stateDir",
            "bootstrapTokenFile");
    assertThat(p.get(0).problem()).contains("relative");
    assertThat(p.get(1).problem()).contains("'..'");
    assertThat(p.get(2).problem()).contains("does not exist");
    assertThat(p.get(3).problem()).contains("not a PEM public key");
    assertThat(p.get(4).problem()).contains("listed twice");
  }

  @Test
  void emptyAllowListAndBadRules() {
    assertThat(
            problems(valid().replaceAll("(?s)allow:.*stateDir", "allow: []\nstateDir"), Map.of()))
        .singleElement()
        .satisfies(p -> assertThat(p.problem()).contains("refuse every bundle"));
    String yaml =
        valid()
            .replace(
                "fields: [spec.chart.spec.version]",
                "fields: [metadata.labels.x, \"spec[0]\", spec, \"spec.a[\"]")
            .replace("kind: Application", "kind: Deployment")
            .replace("namespace: apps-*", "namespace: Apps_*");
    assertThat(paths(yaml))
        .containsExactlyInAnyOrder(
            "allow[0].namespace",
            "allow[0].fields[0]",
            "allow[0].fields[1]",
            "allow[0].fields[2]",
            "allow[0].fields[3]",
            "allow[1].kind");
  }

  @Test
  void anAllowListCannotGrantPrivilegeOrWildcardTheFirstTwoLevels() {
    String yaml =
        valid()
            .replace(
                "fields: [spec.chart.spec.version]",
                "fields: [\"spec.*\", \"spec.*.version\", spec.serviceAccountName,"
                    + " spec.chart.spec.sourceRef.name, spec.targetNamespace,"
                    + " spec.chart.spec.version, \"spec.values.*\"]");
    List<ConfigProblem> p = problems(yaml, Map.of());
    assertThat(p)
        .extracting(ConfigProblem::path)
        .containsExactly(
            "allow[0].fields[0]",
            "allow[0].fields[1]",
            "allow[0].fields[2]",
            "allow[0].fields[3]",
            "allow[0].fields[4]");
    assertThat(p.get(0).problem()).contains("first two levels");
    assertThat(p.get(2).problem()).contains("serviceAccountName").contains("no allow-list");
    assertThat(p.get(3).problem()).contains("sourceRef");
  }

  @Test
  void exactlyOneBundleSource() {
    String both =
        valid().replace("bundleSource:\n", "bundleSource:\n  layout: {path: /srv/layout}\n");
    assertThat(problems(both, Map.of()))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("bundleSource");
              assertThat(p.problem()).isEqualTo("has both registry and layout");
            });
    String neither =
        valid().replaceAll("(?s)bundleSource:.*?trustedKeys", "bundleSource: {}\ntrustedKeys");
    assertThat(problems(neither, Map.of()))
        .singleElement()
        .satisfies(p -> assertThat(p.problem()).isEqualTo("has neither registry nor layout"));
  }

  @Test
  void registryHostileValues() {
    String yaml =
        valid()
            .replace("https://reg.example:5000", "http://reg.example:5000/v2/x")
            .replace("kapro/team-a/prod-eu-1", "Kapro//x")
            .replace("password: s3cret", "password: s3cret\n    credentialsFile: /etc/docker.json");
    assertThat(paths(yaml))
        .containsExactlyInAnyOrder(
            "bundleSource.registry.url",
            "bundleSource.registry.repository",
            "bundleSource.registry.credentialsFile");
    String noPass = valid().replace("    password: s3cret\n", "");
    assertThat(paths(noPass)).containsExactly("bundleSource.registry.password");
    String plain = valid().replace("https://reg.example:5000", "http://127.0.0.1:5000");
    assertThat(problems(plain, Map.of()))
        .singleElement()
        .satisfies(p -> assertThat(p.fix()).contains("insecure: true"));
    AgentConfig ok =
        parse(plain.replace("username: puller", "username: puller\n    insecure: true"));
    assertThat(((BundleSource.Registry) ok.bundleSource()).insecure()).isTrue();
  }

  @Test
  void clusterAndHubValues() {
    String yaml =
        valid()
                .replace(
                    "namespace: team-a, name: prod-eu-1",
                    "namespace: Team_A, name: \"" + "x".repeat(64) + "\"")
                .replace("hub.example:8443", "hub.example")
            + "health: {address: 999.1.1.1}\n";
    assertThat(paths(yaml))
        .containsExactlyInAnyOrder(
            "cluster.namespace", "cluster.name", "hub.address", "health.address");
    assertThat(paths(valid().replace("hub.example:8443", "hub.example:70000")))
        .containsExactly("hub.address");
  }

  @Test
  void yamlSyntaxDuplicatesAndShape() {
    assertThat(problems("cluster: [\n", Map.of()).getFirst().problem()).contains("not valid YAML");
    assertThat(problems(valid() + "stateDir: /tmp/other\n", Map.of()).getFirst().problem())
        .contains("Duplicate field 'stateDir'");
    assertThat(problems("- a\n- b\n", Map.of()).getFirst().problem())
        .contains("mapping at the top");
  }

  @Test
  void missingFileIsAProblem() {
    assertThatThrownBy(() -> AgentConfigLoader.load(dir.resolve("nope.yaml"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("does not exist");
  }
}
