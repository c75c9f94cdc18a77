package io.kapro.e2e.charts;

import static io.kapro.e2e.charts.Manifests.assertHardened;
import static io.kapro.e2e.charts.Manifests.assertLeastPrivilege;
import static io.kapro.e2e.charts.Manifests.container;
import static io.kapro.e2e.charts.Manifests.env;
import static io.kapro.e2e.charts.Manifests.rules;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.LintResult;
import io.kapro.agent.config.AgentConfig;
import io.kapro.agent.config.AgentConfigLoader;
import io.kapro.agent.config.BundleSource;
import io.kapro.agent.config.HealthConfig;
import io.kapro.agent.health.AgentMetrics;
import io.kapro.agent.health.HealthServer;
import io.kapro.agent.health.Readiness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** charts/agent: lint, render, and feed what it renders to the agent's own config loader. */
class AgentChartTest {
  private static final List<String> REQUIRED =
      List.of(
          "cluster.namespace (the Cluster's namespace on the hub)",
          "cluster.name (the Cluster's name on the hub)",
          "hub.address (host:port of the hub's agent gateway)",
          "hub.ca (PEM of the hub CA: Secret kapro-hub-ca, key tls.crt)",
          "bundleSource.registry.url or bundleSource.layout.path",
          "trustedKeys (the Fleet's signing public key: kapro keys show)",
          "allow (the objects and fields the hub may set)");

  @TempDir Path tmp;

  @Test
  void defaultsLintCleanButInstallingThemIsRefusedNamingEveryRequiredValue() {
    LintResult lint = Charts.lint("agent");
    assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
    assertThat(Charts.problems(lint)).isEmpty();
    // The agent cannot run without these, so rendering the defaults for an install stops here.
    assertThat(Charts.templateError("agent", "", Map.of()))
        .contains("kapro-agent needs these values:")
        .contains(REQUIRED);
  }

  @Test
  void lintsStrictWithMinimalAndEdgeValues() {
    for (String values :
        List.of(AgentValues.MINIMAL, AgentValues.EDGE, AgentValues.MINIMAL + "\n")) {
      LintResult r = Charts.lintWith("agent", values);
      assertThat(r.isFailed()).as("%s", r.getMessages()).isFalse();
      assertThat(Charts.problems(r)).isEmpty();
    }
    LintResult registry =
        Charts.lintWith("agent", merge(AgentValues.MINIMAL, AgentValues.REGISTRY_EXTRAS));
    assertThat(Charts.problems(registry)).isEmpty();
  }

  @Test
  void minimalValuesRenderAConfigTheAgentAccepts() throws Exception {
    Charts.Rendered r = Charts.template("agent", AgentValues.MINIMAL, Map.of());
    assertThat(r.kinds())
        .containsExactly(
            "ConfigMap",
            "ConfigMap",
            "Deployment",
            "Role",
            "Role",
            "RoleBinding",
            "RoleBinding",
            "Secret",
            "Secret",
            "Secret",
            "ServiceAccount");
    AgentConfig config = load(r);
    assertThat(config.cluster().namespace()).isEqualTo("shop");
    assertThat(config.cluster().name()).isEqualTo("prod-eu-1");
    assertThat(config.hub().address()).isEqualTo("hub.example.com:8443");
    assertThat(config.hub().caFile()).isPresent();
    assertThat(Files.readString(config.hub().caFile().get())).isEqualTo(AgentValues.CA);
    BundleSource.Registry source = (BundleSource.Registry) config.bundleSource();
    assertThat(source.url()).isEqualTo("registry.example.com:5000");
    // where the hub publishes: <prefix>/<namespace>/<cluster>
    assertThat(source.repository()).isEqualTo("kapro/shop/prod-eu-1");
    assertThat(config.trustedKeys()).hasSize(1);
    assertThat(Files.readString(config.trustedKeys().get(0))).isEqualTo(AgentValues.PUBLIC_KEY);
    assertThat(Files.readString(config.bootstrapTokenFile().orElseThrow()))
        .isEqualTo(AgentValues.TOKEN);
    assertThat(config.pollInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.health()).isEqualTo(new HealthConfig("0.0.0.0", 8081));
    assertThat(config.allowList().rules()).hasSize(1);
  }

  @Test
  void edgeValuesRenderALayoutSourceKeyRotationAndNarrowedRbac() throws Exception {
    Charts.Rendered r = Charts.template("agent", AgentValues.EDGE, Map.of());
    JsonNode d = r.one("Deployment");
    assertHardened(d);
    assertThat(container(d).path("image").asText())
        .isEqualTo("registry.internal/kapro/kapro-agent:0.1.0-rc1");
    assertThat(r.all("Secret"))
        .as("the token comes from an existing Secret; the chart makes only the agent's own two")
        .extracting(x -> x.path("metadata").path("name").asText())
        .containsExactlyInAnyOrder(
            io.kapro.agent.Agent.CREDENTIALS_SECRET, io.kapro.agent.Agent.STATE_SECRET);
    assertThat(volume(d, "bootstrap").path("secret").path("secretName").asText())
        .isEqualTo("my-token");
    assertThat(volume(d, "layout").path("persistentVolumeClaim").path("claimName").asText())
        .isEqualTo("kapro-bundles");
    AgentConfig config = load(r);
    assertThat(config.cluster().toString()).isEqualTo("team-a/edge-0042");
    assertThat(config.hub().host()).isEqualTo("2001:db8::1");
    assertThat(config.bundleSource())
        .isEqualTo(new BundleSource.Layout(Path.of("/var/lib/kapro-bundles")));
    assertThat(config.trustedKeys()).hasSize(2);
    assertThat(config.pollInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.health().port()).isEqualTo(9081);
    assertThat(config.allowList().rules()).hasSize(2);

    assertLeastPrivilege(r);
    assertThat(r.all("ClusterRole")).as("namespaced: no ClusterRole").isEmpty();
    assertThat(r.all("ClusterRoleBinding")).isEmpty();
    List<JsonNode> managed =
        r.all("Role").stream()
            .filter(x -> x.path("metadata").path("name").asText().endsWith("-managed"))
            .toList();
    assertThat(managed.stream().map(x -> x.path("metadata").path("namespace").asText()))
        .containsExactly("apps-eu", "argocd");
    for (JsonNode role : managed) {
      assertThat(rules(role))
          .as("get/patch on the names; list/watch on the kind (one watch per namespace)")
          .containsExactly(
              "groups=[helm.toolkit.fluxcd.io] resources=[helmreleases] names=[web, api]"
                  + " verbs=[get, patch]",
              "groups=[helm.toolkit.fluxcd.io] resources=[helmreleases] verbs=[list, watch]",
              "groups=[argoproj.io] resources=[applications] names=[web, api] verbs=[get, patch]",
              "groups=[argoproj.io] resources=[applications] verbs=[list, watch]",
              "groups=[source.toolkit.fluxcd.io] resources=[ocirepositories] names=[web, api]"
                  + " verbs=[get, patch]",
              "groups=[source.toolkit.fluxcd.io] resources=[ocirepositories] verbs=[list, watch]");
    }
    assertStateRole(r);
    Charts.Rendered strict =
        Charts.template("agent", AgentValues.EDGE, Map.of("rbac.watchNamespace", "false"));
    assertLeastPrivilege(strict);
    assertThat(rules(strict.get("Role", "kapro-kapro-agent-managed")))
        .as("rbac.watchNamespace=false: list/watch on the names too (the agent watches by name)")
        .containsExactly(
            "groups=[helm.toolkit.fluxcd.io] resources=[helmreleases] names=[web, api]"
                + " verbs=[get, patch, list, watch]",
            "groups=[argoproj.io] resources=[applications] names=[web, api] verbs=[get, patch, list, watch]",
            "groups=[source.toolkit.fluxcd.io] resources=[ocirepositories] names=[web, api]"
                + " verbs=[get, patch, list, watch]");
  }

  @Test
  void registryCredentialsAndCaAreMountedWhereTheConfigPoints() throws Exception {
    Charts.Rendered r =
        Charts.template("agent", merge(AgentValues.MINIMAL, AgentValues.REGISTRY_EXTRAS), Map.of());
    JsonNode d = r.one("Deployment");
    assertThat(volume(d, "registry-auth").path("secret").path("secretName").asText())
        .isEqualTo("registry-pull");
    Map<String, String> extra = new HashMap<>();
    Path creds = Files.writeString(tmp.resolve("docker.json"), "{\"auths\":{}}");
    extra.put("KAPRO_AGENT_REGISTRY_CREDENTIALS_FILE", creds.toString());
    AgentConfig config = load(r, extra);
    BundleSource.Registry source = (BundleSource.Registry) config.bundleSource();
    assertThat(source.repository()).isEqualTo("fleet/shop/prod-eu-1");
    assertThat(source.caFile()).isPresent();
    assertThat(Files.readString(source.caFile().get())).isEqualTo(AgentValues.CA);
    // the Secret the credentials file comes from is the user's; its mount is where the config
    // points
    JsonNode agentYaml = agentYaml(r);
    assertThat(agentYaml.path("bundleSource").path("registry").path("credentialsFile").asText())
        .isEqualTo("/etc/kapro/registry-auth/.dockerconfigjson");
    assertThat(mountOf(d, "/etc/kapro/registry-auth/.dockerconfigjson")).isEqualTo("registry-auth");
  }

  @Test
  void defaultRbacIsANamespacedRolePerAllowRuleOnTheObjectItNames() {
    Charts.Rendered r = Charts.template("agent", AgentValues.MINIMAL, Map.of());
    assertLeastPrivilege(r);
    assertThat(r.all("ClusterRole")).as("no cluster-wide grant by default").isEmpty();
    JsonNode shop = r.get("Role", "kapro-kapro-agent-allow-0");
    assertThat(shop.path("metadata").path("namespace").asText()).isEqualTo("shop");
    assertThat(rules(shop))
        .containsExactly(
            "groups=[helm.toolkit.fluxcd.io] resources=[helmreleases] verbs=[get, patch, list, watch]");
    assertStateRole(r);

    String named =
        merge(
            AgentValues.MINIMAL,
            """
            allow:
              - {apiVersion: helm.toolkit.fluxcd.io/v2, kind: HelmRelease, namespace: apps, name: web, fields: [spec.chart.spec.version]}
              - {apiVersion: argoproj.io/v1alpha1, kind: Application, namespace: argocd, name: guestbook, fields: [spec.source.targetRevision]}
            """);
    Charts.Rendered n = Charts.template("agent", named, Map.of());
    assertLeastPrivilege(n);
    assertThat(rules(n.get("Role", "kapro-kapro-agent-allow-0")))
        .as("get/patch on the name; list/watch on the kind in the namespace (one watch there)")
        .containsExactly(
            "groups=[helm.toolkit.fluxcd.io] resources=[helmreleases] names=[web] verbs=[get,"
                + " patch]",
            "groups=[helm.toolkit.fluxcd.io] resources=[helmreleases] verbs=[list, watch]");
    Charts.Rendered byName =
        Charts.template("agent", named, Map.of("rbac.watchNamespace", "false"));
    assertLeastPrivilege(byName);
    assertThat(rules(byName.get("Role", "kapro-kapro-agent-allow-0")))
        .containsExactly(
            "groups=[helm.toolkit.fluxcd.io] resources=[helmreleases] names=[web] verbs=[get,"
                + " patch, list, watch]");
    assertThat(
            n.get("Role", "kapro-kapro-agent-allow-1").path("metadata").path("namespace").asText())
        .isEqualTo("argocd");
    assertThat(rules(n.get("Role", "kapro-kapro-agent-allow-1")))
        .containsExactly(
            "groups=[argoproj.io] resources=[applications] names=[guestbook] verbs=[get, patch]",
            "groups=[argoproj.io] resources=[applications] verbs=[list, watch]");

    assertThat(
            Charts.templateError(
                "agent",
                merge(
                    AgentValues.MINIMAL,
                    "allow: [{apiVersion: helm.toolkit.fluxcd.io/v2, kind: HelmRelease,"
                        + " namespace: 'apps-*', fields: [spec.chart.spec.version]}]\n"),
                Map.of()))
        .contains("allow[0]")
        .contains("exact namespace")
        .contains("rbac.fromAllowList=false");
    Charts.Rendered wide =
        Charts.template("agent", AgentValues.MINIMAL, Map.of("rbac.fromAllowList", "false"));
    assertThat(rules(wide.one("ClusterRole")))
        .containsExactly(
            "groups=[helm.toolkit.fluxcd.io] resources=[helmreleases] verbs=[get, patch, list, watch]",
            "groups=[argoproj.io] resources=[applications] verbs=[get, patch, list, watch]");
  }

  @Test
  void theAgentsOwnSecretsAreMadeEmptyAndKeptSoItNeedsNoCreate() {
    Charts.Rendered r = Charts.template("agent", AgentValues.MINIMAL, Map.of());
    for (String name :
        List.of(io.kapro.agent.Agent.CREDENTIALS_SECRET, io.kapro.agent.Agent.STATE_SECRET)) {
      JsonNode secret = r.get("Secret", name);
      assertThat(secret.path("metadata").path("namespace").asText()).isEqualTo("kapro-system");
      assertThat(secret.has("data")).isFalse();
      assertThat(secret.has("stringData")).isFalse();
      assertThat(
              secret.path("metadata").path("annotations").path("helm.sh/resource-policy").asText())
          .isEqualTo("keep");
    }
    for (String kind : List.of("Role", "ClusterRole")) {
      for (JsonNode role : r.all(kind)) {
        for (JsonNode rule : role.path("rules")) {
          assertThat(Manifests.texts(rule.path("verbs"))).doesNotContain("create");
        }
      }
    }
  }

  private static void assertStateRole(Charts.Rendered r) {
    JsonNode state = r.get("Role", "kapro-kapro-agent-state");
    assertThat(state.path("metadata").path("namespace").asText()).isEqualTo("kapro-system");
    // io.kapro.agent.Agent.CREDENTIALS_SECRET and STATE_SECRET
    assertThat(rules(state))
        .containsExactly(
            "groups=[] resources=[secrets] names=["
                + io.kapro.agent.Agent.CREDENTIALS_SECRET
                + ", "
                + io.kapro.agent.Agent.STATE_SECRET
                + "] verbs=[get, update]");
  }

  @Test
  void theAgentExitsOnOutOfMemoryWhateverTheJvmOptionsSay() throws Exception {
    for (Map<String, String> extra :
        List.<Map<String, String>>of(Map.of(), Map.of("jvmOptions", "-Xmx64m"))) {
      JsonNode d = Charts.template("agent", AgentValues.MINIMAL, extra).one("Deployment");
      String jvm = env(d).get("JAVA_TOOL_OPTIONS");
      assertThat(List.of(jvm.split(" +")))
          .as(extra.toString())
          .contains("-XX:+ExitOnOutOfMemoryError");
    }
  }

  @Test
  void hardenedImageAndProbesOnTheAgentsHealthServer() throws Exception {
    Charts.Rendered r = Charts.template("agent", AgentValues.MINIMAL, Map.of());
    JsonNode d = r.one("Deployment");
    assertHardened(d);
    assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(1);
    assertThat(d.path("spec").path("strategy").path("type").asText()).isEqualTo("Recreate");
    JsonNode c = container(d);
    assertThat(c.path("image").asText()).isEqualTo("ghcr.io/kapro/kapro-agent:0.1.0");
    Map<String, String> env = new java.util.HashMap<>(env(d));
    // the JVM options are the ones the footprint benchmark measured, every one of them
    String jvm = env.remove("JAVA_TOOL_OPTIONS");
    assertThat(List.of(jvm.split(" +")))
        .containsAll(io.kapro.e2e.agent.AgentProcess.JVM_FLAGS)
        .contains("-XX:+IgnoreUnrecognizedVMOptions");
    assertThat(env)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "KAPRO_CONFIG", "/etc/kapro/config/agent.yaml",
                "KAPRO_LOG_LEVEL", "INFO",
                "POD_NAMESPACE", "fieldRef:metadata.namespace"));
    // every other variable the chart sets is one the agent reads (AgentMain, its logging backend)
    String agentSources = sources(Charts.ROOT.resolve("spoke-agent/src/main"));
    assertThat(env.keySet())
        .allSatisfy(
            name -> assertThat(agentSources).containsAnyOf("\"" + name + "\"", "${" + name + ":"));
    assertThat(c.path("ports").get(0).path("containerPort").asInt()).isEqualTo(8081);
    assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
    assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");

    // The agent's health server answers those paths: alive at once, ready once configured and
    // its bundle source answered.
    Readiness readiness = new Readiness();
    try (HealthServer health =
            HealthServer.start(new HealthConfig("127.0.0.1", 0), readiness, new AgentMetrics());
        HttpClient web = HttpClient.newHttpClient()) {
      String base = "http://127.0.0.1:" + health.port();
      assertThat(status(web, base + "/healthz")).isEqualTo(200);
      assertThat(status(web, base + "/readyz")).isEqualTo(503);
      readiness.configLoaded();
      readiness.sourceReached();
      assertThat(status(web, base + "/readyz")).isEqualTo(200);
    }
  }

  /**
   * The chart's memory request and limit follow the measured agent (issue 22): the request covers
   * the highest of idle, 1 MiB-apply and reconnect peaks in docs/benchmarks-fleet.json plus a 25%
   * margin; the limit leaves twice the request, well above what the JVM flags let the heap,
   * metaspace, code cache and direct memory reach together.
   */
  @Test
  void memoryRequestAndLimitFollowTheMeasuredPeakWithAMargin() throws Exception {
    JsonNode after =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(Charts.ROOT.resolve("docs/benchmarks-fleet.json").toFile())
            .path("agent")
            .path("after");
    double peak =
        Math.max(
            after.path("rssMiB").asDouble(),
            Math.max(
                after.path("rssMiBPeakApply").asDouble(),
                after.path("rssMiBPeakReconnect").asDouble()));
    assertThat(peak).as("agent.after peaks in docs/benchmarks-fleet.json").isGreaterThan(0);
    JsonNode resources =
        container(Charts.template("agent", AgentValues.MINIMAL, Map.of()).one("Deployment"))
            .path("resources");
    int request = mebibytes(resources.path("requests").path("memory").asText());
    int limit = mebibytes(resources.path("limits").path("memory").asText());
    assertThat(request).isGreaterThanOrEqualTo((int) Math.ceil(peak * 1.25));
    assertThat(request)
        .as("no more than 16 MiB above peak + 25%")
        .isLessThanOrEqualTo((int) Math.ceil(peak * 1.25) + 16);
    assertThat(limit).isEqualTo(2 * request);
  }

  private static int mebibytes(String quantity) {
    assertThat(quantity).matches("[0-9]+Mi");
    return Integer.parseInt(quantity.substring(0, quantity.length() - 2));
  }

  @Test
  void badValuesAreRefusedWithClearMessages() {
    assertThat(Charts.templateError("agent", AgentValues.MINIMAL, Map.of("health.port", "http")))
        .contains("at '/health/port': got string, want integer");
    assertThat(Charts.templateError("agent", AgentValues.MINIMAL, Map.of("jvmOptions", "Xmx32m")))
        .contains("at '/jvmOptions': 'Xmx32m' does not match pattern");
    assertThat(
            Charts.templateError("agent", AgentValues.MINIMAL, Map.of("cluster.name", "Prod_EU")))
        .contains("at '/cluster/name': 'Prod_EU' does not match pattern");
    assertThat(
            Charts.templateError(
                "agent", AgentValues.MINIMAL + "trustedKeys: {x.pub: not a key}\n", Map.of()))
        .contains("at '/trustedKeys/x.pub'");
    assertThat(
            Charts.templateError(
                "agent",
                AgentValues.MINIMAL + "rbac: {kinds: [{apiGroup: '', resource: secrets}]}\n",
                Map.of()))
        .contains("at '/rbac/kinds/0'");
    assertThat(
            Charts.templateError(
                "agent",
                merge(
                    AgentValues.MINIMAL,
                    "bundleSource: {layout: {path: /b, volume: {emptyDir: {}}}}\n"),
                Map.of()))
        .contains("set bundleSource.registry.url or bundleSource.layout.path, not both");
  }

  /** Feeds the rendered agent.yaml to AgentConfigLoader, with the mounted files as real files. */
  private AgentConfig load(Charts.Rendered r) throws Exception {
    return load(r, Map.of());
  }

  private AgentConfig load(Charts.Rendered r, Map<String, String> extraEnv) throws Exception {
    JsonNode d = r.one("Deployment");
    assertThat(env(d).get("KAPRO_CONFIG")).isEqualTo(mountPath(d, "config") + "/agent.yaml");
    JsonNode config = agentYaml(r);
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put(
        "KAPRO_AGENT_HUB_CA_FILE", materialize(r, d, config.path("hub").path("caFile").asText()));
    StringBuilder keys = new StringBuilder();
    for (JsonNode k : config.path("trustedKeys")) {
      keys.append(keys.isEmpty() ? "" : ",").append(materialize(r, d, k.asText()));
    }
    env.put("KAPRO_AGENT_TRUSTED_KEYS", keys.toString());
    JsonNode registryCa = config.path("bundleSource").path("registry").path("caFile");
    if (!registryCa.isMissingNode()) {
      env.put("KAPRO_AGENT_REGISTRY_CA_FILE", materialize(r, d, registryCa.asText()));
    }
    String token = config.path("bootstrapTokenFile").asText();
    String tokenSecret = volume(d, mountOf(d, token)).path("secret").path("secretName").asText();
    if (r.find("Secret", tokenSecret).isPresent()) {
      env.put("KAPRO_AGENT_BOOTSTRAP_TOKEN_FILE", materialize(r, d, token));
    }
    assertThat(mountOf(d, config.path("stateDir").asText() + "/x")).isEqualTo("state");
    env.put("KAPRO_AGENT_STATE_DIR", Files.createDirectories(tmp.resolve("state")).toString());
    return AgentConfigLoader.parse(
        Charts.YAML.writeValueAsString(config), env, "rendered agent.yaml");
  }

  private static JsonNode agentYaml(Charts.Rendered r) throws Exception {
    return Charts.YAML.readTree(
        r.get("ConfigMap", "kapro-kapro-agent").path("data").path("agent.yaml").asText());
  }

  /** Writes the content the pod would see at {@code path} (from a rendered ConfigMap/Secret). */
  private String materialize(Charts.Rendered r, JsonNode d, String path) throws Exception {
    String volumeName = mountOf(d, path);
    String key = path.substring(mountPath(d, volumeName).length() + 1);
    JsonNode v = volume(d, volumeName);
    String content;
    if (v.has("configMap")) {
      content =
          r.get("ConfigMap", v.path("configMap").path("name").asText())
              .path("data")
              .path(key)
              .asText(null);
    } else {
      content =
          r.get("Secret", v.path("secret").path("secretName").asText())
              .path("stringData")
              .path(key)
              .asText(null);
    }
    assertThat(content).as(path + " is provided by volume " + volumeName).isNotNull();
    Path file = Files.createTempFile(tmp, "mounted-", "-" + key);
    Files.writeString(file, content);
    return file.toString();
  }

  private static String mountOf(JsonNode d, String path) {
    for (JsonNode m : container(d).path("volumeMounts")) {
      if (path.startsWith(m.path("mountPath").asText() + "/")) {
        return m.path("name").asText();
      }
    }
    throw new AssertionError(path + " is on no mounted volume");
  }

  private static String mountPath(JsonNode d, String volume) {
    for (JsonNode m : container(d).path("volumeMounts")) {
      if (m.path("name").asText().equals(volume)) {
        return m.path("mountPath").asText();
      }
    }
    throw new AssertionError("volume " + volume + " is not mounted");
  }

  private static JsonNode volume(JsonNode d, String name) {
    for (JsonNode v : d.path("spec").path("template").path("spec").path("volumes")) {
      if (v.path("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no volume " + name);
  }

  private static String sources(Path dir) throws java.io.IOException {
    StringBuilder all = new StringBuilder();
    try (var files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        all.append(Files.readString(p)).append('\n');
      }
    }
    return all.toString();
  }

  private static int status(HttpClient web, String url) throws Exception {
    return web.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  static String merge(String base, String overrides) {
    return AgentValues.merge(base, overrides);
  }
}
