package io.kapro.api.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kapro.api.Examples;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterStatus;
import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.TargetSpec;
import io.kapro.api.v1alpha2.TargetStatus;
import io.kapro.api.v1alpha2.UnitVersion;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real kubectl against {@link LocalKubeApi}: discovery, server-side printer columns, -l. */
class KubectlIT {
  private static LocalKubeApi api;
  private static Kubectl kubectl;

  @BeforeAll
  static void start() {
    api = LocalKubeApi.start(ApiKind.FLUX_AND_ARGO);
    kubectl = new Kubectl(api);
    target("run1", "canary", "canary-eu-1", TargetPhase.Converged, "converged at web=1.4.0");
    target(
        "run1",
        "prod",
        "prod-eu-1",
        TargetPhase.Failed,
        "HelmRelease shop/web: install retries exhausted");
    target(
        "run1", "prod", "prod-us-1", TargetPhase.Waiting, "waiting for approval release-manager");
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  static void target(String run, String stage, String cluster, TargetPhase phase, String message) {
    Target t = new Target();
    t.setMetadata(
        new ObjectMetaBuilder()
            .withName(run + "-" + stage + "-" + cluster)
            .withLabels(
                Map.of(
                    Kapro.Labels.PROMOTION_RUN, run,
                    Kapro.Labels.STAGE, stage,
                    Kapro.Labels.CLUSTER, cluster,
                    Kapro.Labels.PHASE, phase.name()))
            .build());
    TargetSpec spec = new TargetSpec();
    spec.setRun(run);
    spec.setStage(stage);
    spec.setCluster(cluster);
    spec.setWave(0);
    UnitVersion web = new UnitVersion();
    web.setName("web");
    web.setVersion("1.4.0");
    spec.setUnits(List.of(web));
    t.setSpec(spec);
    Target created = api.client().resource(t).create();
    TargetStatus status = new TargetStatus();
    status.setPhase(phase);
    status.setMessage(message);
    created.setStatus(status);
    api.client().resource(created).updateStatus();
  }

  @Test
  void getTargetsByStageShowsOperatorColumns() {
    Kubectl.Result r = kubectl.run("get", "targets", "-l", "kapro.io/stage=prod");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    List<List<String>> table = r.table();
    // the message is a priority-1 column: only -o wide shows it
    assertThat(table.get(0)).containsExactly("NAME", "CLUSTER", "STAGE", "PHASE", "VERSION", "AGE");
    assertThat(table).hasSize(3);
    assertThat(table.get(1).subList(0, 5))
        .containsExactly("run1-prod-prod-eu-1", "prod-eu-1", "prod", "Failed", "1.4.0");
    assertThat(table.get(1).get(5)).matches("[0-9]+s");
    assertThat(table.get(2).subList(0, 5))
        .containsExactly("run1-prod-prod-us-1", "prod-us-1", "prod", "Waiting", "1.4.0");
  }

  @Test
  void wideOutputAddsTheMessage() {
    Kubectl.Result r = kubectl.run("get", "targets", "-l", "kapro.io/stage=prod", "-o", "wide");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    List<List<String>> table = r.table();
    assertThat(table.get(0))
        .containsExactly(
            "NAME", "CLUSTER", "STAGE", "PHASE", "VERSION", "HEALTH", "DRIFT", "MESSAGE", "AGE");
    // no Degraded/Drifted condition on these Targets: those cells are empty
    assertThat(table.get(1).subList(5, 8))
        .containsExactly("", "", "HelmRelease shop/web: install retries exhausted");
  }

  @Test
  void labelSelectorsCombineAndShortNamesWork() {
    Kubectl.Result r =
        kubectl.run("get", "kt", "-l", "kapro.io/stage=prod,kapro.io/phase=Failed", "-o", "name");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.lines()).containsExactly("target.kapro.io/run1-prod-prod-eu-1");
  }

  @Test
  void getClustersShowsConnectionColumns() {
    Kubectl.Result created =
        kubectl.run(
            "create",
            "-f",
            Examples.repoRoot().resolve("examples/quickstart/clusters.yaml").toString());
    assertThat(created.exitCode()).as(created.stderr()).isZero();
    Cluster c = api.client().resources(Cluster.class).withName("prod-eu-1").get();
    ClusterStatus s = new ClusterStatus();
    Condition connected = new Condition();
    connected.setType(Kapro.ConditionTypes.CONNECTED);
    connected.setStatus(ConditionStatus.True);
    s.setConditions(List.of(connected));
    s.setVersionSummary("web=1.4.0,api=v1.4.0");
    s.setLastSeen(
        Instant.now().minus(3, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString());
    c.setStatus(s);
    api.client().resource(c).updateStatus();

    Kubectl.Result r = kubectl.run("get", "clusters");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    List<List<String>> table = r.table();
    assertThat(table.get(0))
        .containsExactly("NAME", "CONNECTED", "VERSION", "HEALTH", "DRIFT", "LAST SEEN", "AGE");
    assertThat(table).hasSize(4);
    assertThat(table.get(1).subList(0, 6)).containsExactly("canary-eu-1", "", "", "", "", "");
    assertThat(table.get(2).subList(0, 5))
        .containsExactly("prod-eu-1", "True", "web=1.4.0,api=v1.4.0", "", "");
    assertThat(table.get(2).get(5)).matches("3m[0-9]*s?");
    assertThat(table.get(2).get(6)).matches("[0-9]+s");
  }

  @Test
  void jsonpathOutputWorks() {
    Kubectl.Result r =
        kubectl.run(
            "get",
            "targets",
            "-l",
            "kapro.io/stage=canary",
            "-o",
            "jsonpath={.items[*].status.phase}");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).isEqualTo("Converged");
  }

  @Test
  void labelPatchStatusAndDeleteWork() {
    target("run2", "canary", "canary-eu-1", TargetPhase.Published, "bundle seq-7 published");
    String name = "target/run2-canary-canary-eu-1";
    assertThat(kubectl.run("label", name, "kapro.io/phase=Converged", "--overwrite").exitCode())
        .isZero();
    Kubectl.Result patched =
        kubectl.run(
            "patch",
            name,
            "--subresource=status",
            "--type=json",
            "-p",
            "[{\"op\":\"replace\",\"path\":\"/status/phase\",\"value\":\"Converged\"}]");
    assertThat(patched.exitCode()).as(patched.stderr()).isZero();
    Target t = api.client().resources(Target.class).withName("run2-canary-canary-eu-1").get();
    assertThat(t.getMetadata().getLabels()).containsEntry(Kapro.Labels.PHASE, "Converged");
    assertThat(t.getStatus().getPhase()).isEqualTo(TargetPhase.Converged);
    // The client's merge-patch of status (what reconcilers use) works too.
    t.getStatus().setMessage("converged at web=1.4.0");
    api.client().resource(t).patchStatus();
    assertThat(
            api.client()
                .resources(Target.class)
                .withName(t.getMetadata().getName())
                .get()
                .getStatus()
                .getMessage())
        .isEqualTo("converged at web=1.4.0");
    assertThat(kubectl.run("delete", name).exitCode()).isZero();
    assertThat(api.client().resources(Target.class).withName("run2-canary-canary-eu-1").get())
        .isNull();
  }

  @Test
  void extraKindsAreServedWithNameAndAge() throws Exception {
    io.fabric8.kubernetes.api.model.GenericKubernetesResource hr =
        new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
            .withApiVersion(ApiKind.FLUX_HELM_RELEASE.apiVersion())
            .withKind("HelmRelease")
            .withNewMetadata()
            .withName("web")
            .withNamespace("shop")
            .endMetadata()
            .addToAdditionalProperties(
                "spec", Map.of("chart", Map.of("spec", Map.of("version", "1.3.0"))))
            .build();
    api.client().resource(hr).create();
    Kubectl.Result r = kubectl.run("get", "helmreleases.helm.toolkit.fluxcd.io", "-n", "shop");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.table().get(0)).containsExactly("NAME", "AGE");
    assertThat(r.table().get(1).get(0)).isEqualTo("web");
    Kubectl.Result version =
        kubectl.run(
            "get", "helmrelease", "web", "-n", "shop", "-o", "jsonpath={.spec.chart.spec.version}");
    assertThat(version.stdout()).isEqualTo("1.3.0");
  }

  @Test
  void protobufRequestsAreRefusedClearlyAndManifestsWork() {
    Kubectl.Result generator = kubectl.run("create", "namespace", "shop2");
    assertThat(generator.exitCode()).isNotZero();
    assertThat(generator.stderr()).contains("reads JSON only");
    Kubectl.Result ns = kubectl.run("get", "ns");
    assertThat(ns.exitCode()).as(ns.stderr()).isZero();
  }

  @Test
  void malformedBodiesGetAnAnswer() throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    var response =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(
                        api.url() + "/apis/kapro.io/v1alpha2/namespaces/default/targets"))
                .timeout(java.time.Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{not json"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isBetween(400, 499);
  }
}
