package io.kapro.e2e.charts;

import static io.kapro.e2e.charts.Manifests.assertHardened;
import static io.kapro.e2e.charts.Manifests.assertLeastPrivilege;
import static io.kapro.e2e.charts.Manifests.container;
import static io.kapro.e2e.charts.Manifests.env;
import static io.kapro.e2e.charts.Manifests.rules;
import static io.kapro.e2e.charts.Manifests.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kapro.hub.HubSettings;
import io.kapro.hub.events.inbound.InboundServer;
import io.kapro.hub.metrics.HubMetrics;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** charts/hub: lint, render, and check what it renders against what the hub's code reads. */
class HubChartTest {
  private static final String EDGE =
      """
      replicaCount: 1
      leaderElection: {enabled: false}
      image: {digest: "sha256:%s"}
      gateway:
        port: 9443
        dnsNames: [hub.example.com, 203.0.113.7]
        maxHandshakes: 512
        service: {type: LoadBalancer, port: 443, loadBalancerSourceRanges: [198.51.100.0/24]}
      http: {port: 9090}
      ca: {secretName: my-hub-ca}
      resync: 1m
      reissueInterval: 1h
      evidenceImportInterval: 2m
      rbac:
        tenantNamespaces:
          - shop
          - {name: payments, secretNames: [pay-signing, ci-events]}
          - kapro-system
          - {name: audit, secretNames: []}
      metrics: {serviceMonitor: {enabled: true, labels: {release: prom}}}
      grafanaDashboard: {enabled: true}
      """
          .formatted("a".repeat(64));

  @Test
  void lintsStrictWithDefaultAndEdgeValues() {
    LintResult defaults = Charts.lint("hub");
    assertThat(defaults.isFailed()).as("%s", defaults.getMessages()).isFalse();
    assertThat(Charts.problems(defaults)).isEmpty();
    LintResult edge = Charts.lintWith("hub", EDGE);
    assertThat(edge.isFailed()).as("%s", edge.getMessages()).isFalse();
    assertThat(Charts.problems(edge)).isEmpty();
  }

  @Test
  void defaultsRenderTwoLeaderElectedHardenedReplicasWithAPdb() {
    Charts.Rendered r = Charts.template("hub", "", Map.of());
    assertThat(r.kinds())
        .containsExactly(
            "ClusterRole",
            "ClusterRoleBinding",
            "ConfigMap",
            "Deployment",
            "PodDisruptionBudget",
            "Role",
            "RoleBinding",
            "Service",
            "Service",
            "ServiceAccount",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding");
    JsonNode d = r.one("Deployment");
    assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(2);
    assertHardened(d);
    assertThat(container(d).path("image").asText()).isEqualTo("ghcr.io/kapro/kapro-hub:0.1.0");
    assertThat(d.path("spec").path("template").path("spec").path("serviceAccountName").asText())
        .isEqualTo(r.one("ServiceAccount").path("metadata").path("name").asText());

    JsonNode pdb = r.one("PodDisruptionBudget");
    assertThat(pdb.path("spec").path("minAvailable").asInt()).isEqualTo(1);
    assertThat(pdb.path("spec").path("selector").path("matchLabels"))
        .isEqualTo(d.path("spec").path("selector").path("matchLabels"));

    Map<String, String> env = env(d);
    assertThat(env)
        .containsExactlyInAnyOrderEntriesOf(
            Map.ofEntries(
                Map.entry("KAPRO_NAMESPACE", "fieldRef:metadata.namespace"),
                Map.entry("KAPRO_GATEWAY_ADDRESS", "0.0.0.0:8443"),
                Map.entry("KAPRO_HTTP_ADDRESS", "0.0.0.0:8080"),
                Map.entry(
                    "KAPRO_GATEWAY_DNS_NAMES",
                    "kapro-kapro-hub-gateway,kapro-kapro-hub-gateway.kapro-system,"
                        + "kapro-kapro-hub-gateway.kapro-system.svc"),
                Map.entry("KAPRO_CA_SECRET", "kapro-hub-ca"),
                Map.entry("KAPRO_LEADER_ELECTION", "true"),
                Map.entry("KAPRO_RESYNC", "30s"),
                Map.entry("KAPRO_REISSUE_INTERVAL", "5m"),
                Map.entry("KAPRO_EVIDENCE_IMPORT_INTERVAL", "off"),
                Map.entry("KAPRO_SHARDS", "0"),
                Map.entry("KAPRO_SHARD_LEASE_DURATION", "15s"),
                Map.entry("KAPRO_GATEWAY_MAX_HANDSHAKES", "128"),
                Map.entry(
                    "JAVA_TOOL_OPTIONS",
                    "-Dlogback.configurationFile=/etc/kapro/logging/logback.xml")));
  }

  @Test
  void shardingRendersShardsWithoutLeaderElectionAndTheShardLeaseRule() {
    Charts.Rendered r =
        Charts.template(
            "hub",
            "replicaCount: 3\nleaderElection: {enabled: false}\n"
                + "sharding: {shards: 6, leaseDuration: 10s}\n",
            Map.of());
    JsonNode d = r.one("Deployment");
    assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(3);
    Map<String, String> env = env(d);
    assertThat(env)
        .containsEntry("KAPRO_SHARDS", "6")
        .containsEntry("KAPRO_SHARD_LEASE_DURATION", "10s")
        .containsEntry("KAPRO_LEADER_ELECTION", "false");
    HubSettings s = HubSettings.fromEnv(withNamespace(env));
    assertThat(s.shards()).isEqualTo(6);
    assertThat(s.shardLease()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.leaderElection()).isFalse();
    assertLeastPrivilege(r);
    assertThat(rules(r.one("Role")))
        .containsExactly(
            "groups=[] resources=[secrets] verbs=[get, create, update]",
            "groups=[] resources=[configmaps] verbs=[get, create, update]",
            "groups=[] resources=[events] verbs=[create]",
            "groups=[coordination.k8s.io] resources=[leases] verbs=[create, update]",
            "groups=[coordination.k8s.io] resources=[leases] verbs=[get, list, create, update,"
                + " delete]");
    // with leader election left on in the values, sharding still turns the election off
    Map<String, String> electionOn =
        env(Charts.template("hub", "sharding: {shards: 2}\n", Map.of()).one("Deployment"));
    assertThat(electionOn).containsEntry("KAPRO_LEADER_ELECTION", "false");
    assertThat(HubSettings.fromEnv(withNamespace(electionOn)).shards()).isEqualTo(2);
  }

  @Test
  void theChartSetsExactlyTheVariablesHubSettingsReadsAndTheyParse() throws Exception {
    String source =
        Files.readString(Charts.ROOT.resolve("hub/src/main/java/io/kapro/hub/HubSettings.java"));
    TreeSet<String> read = new TreeSet<>();
    Matcher m = Pattern.compile("\"(KAPRO_[A-Z_]+)\"").matcher(source);
    while (m.find()) {
      read.add(m.group(1));
    }
    for (String values : List.of("", EDGE)) {
      Map<String, String> env =
          new HashMap<>(env(Charts.template("hub", values, Map.of()).one("Deployment")));
      TreeSet<String> kapro = new TreeSet<>(env.keySet());
      assertThat(kapro.remove("JAVA_TOOL_OPTIONS")).as("the logging configuration").isTrue();
      assertThat(kapro).isEqualTo(read);
      env.put("KAPRO_NAMESPACE", "kapro-system"); // the downward API's value in a pod
      HubSettings s = HubSettings.fromEnv(env);
      assertThat(s.namespace()).isEqualTo("kapro-system");
    }
    HubSettings edge =
        HubSettings.fromEnv(
            withNamespace(env(Charts.template("hub", EDGE, Map.of()).one("Deployment"))));
    assertThat(edge.gatewayPort()).isEqualTo(9443);
    assertThat(edge.httpPort()).isEqualTo(9090);
    assertThat(edge.gatewayDnsNames())
        .containsExactly(
            "kapro-kapro-hub-gateway",
            "kapro-kapro-hub-gateway.kapro-system",
            "kapro-kapro-hub-gateway.kapro-system.svc",
            "hub.example.com",
            "203.0.113.7");
    assertThat(edge.caSecret()).isEqualTo("my-hub-ca");
    assertThat(edge.leaderElection()).isFalse();
    assertThat(edge.resync()).isEqualTo(Duration.ofMinutes(1));
    assertThat(edge.reissueInterval()).isEqualTo(Duration.ofHours(1));
    assertThat(edge.evidenceImport()).contains(Duration.ofMinutes(2));
    assertThat(edge.gatewayMaxHandshakes()).isEqualTo(512);
    assertThat(
            HubSettings.fromEnv(
                    withNamespace(env(Charts.template("hub", "", Map.of()).one("Deployment"))))
                .gatewayMaxHandshakes())
        .isEqualTo(128);
  }

  private static Map<String, String> withNamespace(Map<String, String> env) {
    Map<String, String> out = new HashMap<>(env);
    out.put("KAPRO_NAMESPACE", "kapro-system");
    return out;
  }

  @Test
  void rbacIsExactlyWhatTheHubDoes() {
    Charts.Rendered r = Charts.template("hub", "", Map.of());
    assertLeastPrivilege(r);
    assertThat(rules(r.one("ClusterRole")))
        .containsExactly(
            "groups=[kapro.io] resources=[fleets, clusters, approvals, plans] verbs=[get, list,"
                + " watch]",
            "groups=[kapro.io] resources=[promotions, promotionruns, targets]"
                + " verbs=[get, list, watch, create, patch]",
            "groups=[kapro.io] resources=[clusters/status, promotions/status,"
                + " promotionruns/status, approvals/status, fleets/status, plans/status]"
                + " verbs=[patch]",
            "groups=[kapro.io] resources=[targets/status] verbs=[patch, update]",
            "groups=[kapro.io] resources=[sources] verbs=[get, list, watch, patch]",
            "groups=[kapro.io] resources=[sources/status] verbs=[patch]",
            "groups=[kapro.io] resources=[sourcegroups] verbs=[get, list, watch]",
            "groups=[kapro.io] resources=[sourcegroups/status] verbs=[patch]",
            "groups=[coordination.k8s.io] resources=[leases] verbs=[get, list, watch]");
    JsonNode role = r.one("Role");
    assertThat(role.path("metadata").path("namespace").asText()).isEqualTo("kapro-system");
    assertThat(rules(role))
        .containsExactly(
            "groups=[] resources=[secrets] verbs=[get, create, update]",
            "groups=[] resources=[configmaps] verbs=[get, create, update]",
            "groups=[] resources=[events] verbs=[create]",
            "groups=[coordination.k8s.io] resources=[leases] verbs=[create, update]",
            "groups=[coordination.k8s.io] resources=[leases] verbs=[create]",
            "groups=[coordination.k8s.io] resources=[leases] names=["
                + HubSettings.LEASE_NAME
                + "] verbs=[get, update, patch]");
    assertThat(r.one("ClusterRoleBinding").path("subjects").get(0).path("namespace").asText())
        .isEqualTo("kapro-system");
  }

  @Test
  void tenantNamespacesGetOnlyTheSecretsTheirFleetsNameByNameAndNoLeaseWithoutElection() {
    Charts.Rendered r = Charts.template("hub", EDGE, Map.of());
    assertLeastPrivilege(r);
    List<JsonNode> roles = r.all("Role");
    assertThat(roles.stream().map(x -> x.path("metadata").path("namespace").asText()))
        .containsExactly("kapro-system", "shop", "payments", "audit");
    // the release namespace: CA and bootstrap-token Secrets (token Secrets are named after a hash)
    assertThat(rules(roles.get(0)))
        .containsExactly(
            "groups=[] resources=[secrets] verbs=[get, create, update]",
            "groups=[] resources=[configmaps] verbs=[get, create, update]",
            "groups=[] resources=[events] verbs=[create]",
            "groups=[coordination.k8s.io] resources=[leases] verbs=[create, update]");
    // the default names, or the namespace's own list; never every Secret of a tenant namespace
    assertThat(rules(roles.get(1)))
        .containsExactly(
            "groups=[] resources=[secrets] names=[kapro-signing, kapro-registry,"
                + " kapro-registry-ca, kapro-inbound] verbs=[get]",
            "groups=[] resources=[configmaps] verbs=[get, create, update]",
            "groups=[] resources=[events] verbs=[create]",
            "groups=[coordination.k8s.io] resources=[leases] verbs=[create, update]");
    assertThat(rules(roles.get(2)))
        .containsExactly(
            "groups=[] resources=[secrets] names=[pay-signing, ci-events] verbs=[get]",
            "groups=[] resources=[configmaps] verbs=[get, create, update]",
            "groups=[] resources=[events] verbs=[create]",
            "groups=[coordination.k8s.io] resources=[leases] verbs=[create, update]");
    assertThat(rules(roles.get(3)))
        .as("an empty list grants no Secret at all")
        .containsExactly(
            "groups=[] resources=[configmaps] verbs=[get, create, update]",
            "groups=[] resources=[events] verbs=[create]",
            "groups=[coordination.k8s.io] resources=[leases] verbs=[create, update]");
    for (JsonNode tenant : roles.subList(1, 4)) {
      for (JsonNode rule : tenant.path("rules")) {
        if (texts(rule.path("resources")).contains("secrets")) {
          assertThat(rule.has("resourceNames")).isTrue();
          assertThat(texts(rule.path("verbs"))).containsExactly("get");
        }
      }
    }
    assertThat(r.all("RoleBinding")).hasSize(4);
  }

  @Test
  void aTenantSecretNameThatIsNoKubernetesNameIsRefusedByTheSchema() {
    String bad = "rbac: {tenantNamespaces: [{name: shop, secretNames: ['*']}]}";
    assertThat(Charts.lintWith("hub", bad).isFailed()).isTrue();
    String typo = "rbac: {tenantNamespaces: [{name: shop, secrets: [a]}]}";
    assertThat(Charts.lintWith("hub", typo).isFailed()).isTrue();
  }

  @Test
  void edgeValuesRenderDigestServicesMonitorAndDashboard() throws Exception {
    Charts.Rendered r = Charts.template("hub", EDGE, Map.of());
    JsonNode d = r.one("Deployment");
    assertHardened(d);
    assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(1);
    assertThat(r.all("PodDisruptionBudget")).as("no PDB for one replica").isEmpty();
    assertThat(container(d).path("image").asText())
        .isEqualTo("ghcr.io/kapro/kapro-hub@sha256:" + "a".repeat(64));
    JsonNode gw = r.get("Service", "kapro-kapro-hub-gateway");
    assertThat(gw.path("spec").path("type").asText()).isEqualTo("LoadBalancer");
    assertThat(gw.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(443);
    assertThat(gw.path("spec").path("ports").get(0).path("targetPort").asText())
        .isEqualTo("gateway");
    assertThat(container(d).path("ports").findValuesAsText("containerPort"))
        .containsExactly("9443", "9090");
    JsonNode sm = r.one("ServiceMonitor");
    assertThat(sm.path("metadata").path("labels").path("release").asText()).isEqualTo("prom");
    assertThat(sm.path("spec").path("endpoints").get(0).path("path").asText())
        .isEqualTo("/metrics");
    JsonNode http = r.get("Service", "kapro-kapro-hub");
    assertThat(sm.path("spec").path("selector").path("matchLabels").fields())
        .toIterable()
        .allSatisfy(
            e ->
                assertThat(http.path("metadata").path("labels").path(e.getKey()).asText())
                    .isEqualTo(e.getValue().asText()));
    JsonNode dashboard = r.get("ConfigMap", "kapro-kapro-hub-dashboard");
    assertThat(dashboard.path("metadata").path("labels").path("grafana_dashboard").asText())
        .isEqualTo("1");
    assertThat(Charts.YAML.readTree(dashboard.path("data").path("kapro.json").asText()))
        .isEqualTo(
            Charts.YAML.readTree(
                Files.readString(Charts.chart("hub").resolve("dashboards/kapro.json"))));
  }

  @Test
  void probesHitTheHttpEndpointTheHubServes() throws Exception {
    JsonNode c = container(Charts.template("hub", "", Map.of()).one("Deployment"));
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      assertThat(c.path(probe).path("httpGet").path("path").asText())
          .as(probe)
          .isEqualTo("/metrics");
      assertThat(c.path(probe).path("httpGet").path("port").asText()).as(probe).isEqualTo("http");
    }
    // The hub's own HTTP endpoint (what KAPRO_HTTP_ADDRESS binds) answers that path with 200.
    try (KubernetesClient client =
            new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build())
                .build();
        InboundServer http =
            InboundServer.start(
                new InetSocketAddress("127.0.0.1", 0),
                client,
                new HubMetrics(),
                Clock.systemUTC());
        HttpClient web = HttpClient.newHttpClient()) {
      HttpResponse<String> resp =
          web.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + http.address().getPort() + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(resp.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theLoggingConfigIsValidLogbackAtTheConfiguredLevel() throws Exception {
    for (String level : List.of("info", "debug")) {
      Charts.Rendered r = Charts.template("hub", "logLevel: " + level + "\n", Map.of());
      JsonNode d = r.one("Deployment");
      String file =
          env(d).get("JAVA_TOOL_OPTIONS").replaceFirst("^-Dlogback.configurationFile=", "");
      assertThat(container(d).path("volumeMounts").findValuesAsText("mountPath"))
          .contains(file.substring(0, file.lastIndexOf('/')));
      String xml =
          r.get("ConfigMap", "kapro-kapro-hub-logging")
              .path("data")
              .path(file.substring(file.lastIndexOf('/') + 1))
              .asText();
      ch.qos.logback.classic.LoggerContext context = new ch.qos.logback.classic.LoggerContext();
      ch.qos.logback.classic.joran.JoranConfigurator joran =
          new ch.qos.logback.classic.joran.JoranConfigurator();
      joran.setContext(context);
      joran.doConfigure(
          new java.io.ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(context.getStatusManager().getCopyOfStatusList())
          .noneMatch(st -> st.getLevel() >= ch.qos.logback.core.status.Status.WARN);
      assertThat(context.getLogger("io.kapro").getLevel().toString()).isEqualToIgnoringCase(level);
      assertThat(context.getLogger("ROOT").getLevel().toString()).isEqualTo("WARN");
    }
  }

  @Test
  void badValuesAreRefusedWithClearMessages() {
    assertThat(Charts.templateError("hub", "", Map.of("replicaCount", "two")))
        .contains("at '/replicaCount': got string, want integer");
    assertThat(Charts.templateError("hub", "resync: soon\n", Map.of()))
        .contains("at '/resync': 'soon' does not match pattern");
    assertThat(Charts.templateError("hub", "gateway: {service: {type: Ingress}}\n", Map.of()))
        .contains("at '/gateway/service/type'");
    assertThat(Charts.templateError("hub", "logLevel: verbose\n", Map.of()))
        .contains("at '/logLevel'");
    assertThat(Charts.templateError("hub", "replicas: 3\n", Map.of()))
        .contains("additional properties 'replicas' not allowed");
    assertThat(Charts.templateError("hub", "leaderElection: {enabled: false}\n", Map.of()))
        .contains(
            "leaderElection.enabled=false needs replicaCount=1 (or sharding.shards > 0): two"
                + " replicas would both run the reconcilers");
    assertThat(Charts.templateError("hub", "sharding: {shards: -1}\n", Map.of()))
        .contains("at '/sharding/shards'");
    assertThat(
            Charts.templateError("hub", "sharding: {shards: 2, leaseDuration: soon}\n", Map.of()))
        .contains("at '/sharding/leaseDuration'");
    assertThat(Charts.templateError("hub", "gateway: {maxHandshakes: 0}\n", Map.of()))
        .contains("at '/gateway/maxHandshakes'");
    assertThat(Charts.templateError("hub", "gateway: {maxHandshakes: 100001}\n", Map.of()))
        .contains("at '/gateway/maxHandshakes'");
    assertThat(Charts.templateError("hub", "gateway: {maxHandshakes: lots}\n", Map.of()))
        .contains("at '/gateway/maxHandshakes'");
  }
}
