package io.kapro.hub.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.Conditions;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterStatus;
import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.OciSource;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.ProvenVersion;
import io.kapro.api.v1alpha2.Source;
import io.kapro.api.v1alpha2.SourceGroup;
import io.kapro.api.v1alpha2.SourceGroupSpec;
import io.kapro.api.v1alpha2.SourceGroupStatus;
import io.kapro.api.v1alpha2.SourceSpec;
import io.kapro.api.v1alpha2.UnitVersion;
import io.kapro.hub.HubOperator;
import io.kapro.oci.testing.LocalRegistry;
import io.kapro.oci.testing.TestImages;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SourceGroups in the running hub against the real distribution registry on loopback: an image
 * repository and a chart repository, tags pushed during the test, two Sources grouped into one set;
 * with Auto one Promotion carries both versions (and is updated with the others' current versions
 * when one member moves); with Manual the set is listed as available and nothing moves; a set that
 * would take a unit below what the first stage proved is not promoted.
 */
class SourceGroupIT {
  private static final String IMAGES = "team/web";
  private static final String CHARTS = "charts/web";

  private LocalKubeApi api;
  private KubernetesClient client;
  private LocalRegistry registry;
  private HubOperator hub;

  @BeforeEach
  void start() throws Exception {
    api = LocalKubeApi.start();
    client = api.client();
    registry = LocalRegistry.startPlain();
    hub =
        HubOperator.start(
            client,
            r -> {
              throw new IllegalStateException("no publishing in this test");
            },
            new HubOperator.Settings(Clock.systemUTC(), Duration.ofSeconds(30)));
  }

  @AfterEach
  void stop() {
    hub.close();
    registry.close();
    api.close();
  }

  @Test
  void autoPromotesTheWholeSetInOnePromotion() {
    TestImages.push(registry.host(), IMAGES, "1.0.0");
    String chart030 = TestImages.push(registry.host(), CHARTS, "0.3.0");
    SourceFixtures.plan(client);
    SourceFixtures.fleet(client, "rollout", "web", "chart");
    cluster("dev-0", "dev", Map.of("web", "1.0.0"));
    group("release", "web-image", "web-chart");
    source("web-image", "web", IMAGES);
    source("web-chart", "chart", CHARTS);

    // pushed during the run: a new image; the set carries it with the chart's current version
    String image110 = TestImages.push(registry.host(), IMAGES, "1.1.0");
    checkNow("web-image");
    SourceGroupStatus s = awaitGroup(st -> "web=1.1.0 chart=0.3.0".equals(st.getLatest()));
    var newest = s.getSets().get(0);
    assertThat(newest.getMembers())
        .extracting(m -> m.getSource(), m -> m.getVersion(), m -> m.getDigest())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("web-image", "1.1.0", image110),
            org.assertj.core.groups.Tuple.tuple("web-chart", "0.3.0", chart030));
    assertThat(newest.getMembers().get(0).getOrigin())
        .isEqualTo(registry.host() + "/team/web:1.1.0");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(versions(promotion()))
                    .isEqualTo(Map.of("web", "1.1.0", "chart", "0.3.0")));
    Promotion p = promotion();
    assertThat(p.getSpec().getPlan()).isEqualTo("rollout");
    assertThat(p.getMetadata().getLabels())
        .containsEntry(SourceGroupReconciler.GROUP_LABEL, "release")
        .containsEntry("kapro.io/fleet", "shop");
    s = awaitGroup(st -> newest.getName().equals(st.getPromoted()));

    // the chart moves: a new set with the image's current version; the same Promotion is updated
    String chart040 = TestImages.push(registry.host(), CHARTS, "0.4.0");
    checkNow("web-chart");
    s = awaitGroup(st -> "web=1.1.0 chart=0.4.0".equals(st.getLatest()));
    assertThat(s.getSets().get(1).getName()).as("the set before, kept").isEqualTo(newest.getName());
    assertThat(s.getSets().get(0).getMembers().get(1).getDigest()).isEqualTo(chart040);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(versions(promotion()))
                    .isEqualTo(Map.of("web", "1.1.0", "chart", "0.4.0")));
    // one run carries both versions and supersedes the run of the set before
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Promotion cur = promotion();
              assertThat(cur.getStatus()).isNotNull();
              var run =
                  client
                      .resources(io.kapro.api.v1alpha2.PromotionRun.class)
                      .inNamespace("default")
                      .withName(cur.getStatus().getCurrentRun())
                      .get();
              assertThat(run).isNotNull();
              assertThat(run.getSpec().getUnits())
                  .extracting(UnitVersion::getName, UnitVersion::getVersion)
                  .containsExactly(
                      org.assertj.core.groups.Tuple.tuple("web", "1.1.0"),
                      org.assertj.core.groups.Tuple.tuple("chart", "0.4.0"));
              assertThat(run.getSpec().getSupersedes()).isNotNull();
              var before =
                  client
                      .resources(io.kapro.api.v1alpha2.PromotionRun.class)
                      .inNamespace("default")
                      .withName(run.getSpec().getSupersedes())
                      .get();
              // an older set's run (the one of web=1.1.0 chart=0.3.0, or of the first set when
              // the Promotion reconciler saw the two quick updates as one)
              assertThat(before.getSpec().getUnits())
                  .extracting(UnitVersion::getName, UnitVersion::getVersion)
                  .contains(org.assertj.core.groups.Tuple.tuple("chart", "0.3.0"));
            });
    assertThat(
            client.resources(Promotion.class).inNamespace("default").list().getItems().stream()
                .map(x -> x.getMetadata().getName()))
        .as("the members never promote their units alone")
        .containsExactly("shop-release");
    Source member =
        client.resources(Source.class).inNamespace("default").withName("web-image").get();
    assertThat(ready(member.getStatus().getConditions()).getMessage())
        .contains("promoted with SourceGroup release");
  }

  @Test
  void manualListsTheSetAsAvailableAndMovesNothing() {
    TestImages.push(registry.host(), IMAGES, "1.0.0");
    TestImages.push(registry.host(), CHARTS, "0.3.0");
    SourceFixtures.fleet(client, null, "web", "chart");
    cluster("dev-0", "dev", Map.of("web", "1.0.0", "chart", "0.3.0"));
    group("release", "web-image", "web-chart");
    source("web-image", "web", IMAGES);
    source("web-chart", "chart", CHARTS);
    SourceGroupStatus s =
        awaitGroup(st -> "web=1.0.0 chart=0.3.0".equals(st.getLatest()) && st.getProven() != null);
    assertThat(s.getAvailable()).as("what the fleet runs is not available").isEmpty();

    TestImages.push(registry.host(), IMAGES, "1.1.0");
    TestImages.push(registry.host(), IMAGES, "2.0.0"); // outside the Source's constraint ^1
    checkNow("web-image");
    s = awaitGroup(st -> "web=1.1.0 chart=0.3.0".equals(st.getLatest()));
    assertThat(s.getProven()).isEqualTo("web=1.0.0 chart=0.3.0");
    assertThat(s.getAvailable()).containsExactly(s.getSets().get(0).getName());
    assertThat(s.getPromoted()).isNull();
    assertThat(ready(s.getConditions()).getMessage()).contains("available, not yet promoted: 1");
    assertThat(client.resources(Promotion.class).inNamespace("default").list().getItems())
        .as("manual: nothing moves")
        .isEmpty();

    // budget (docs/design/api-budget.md): a member checked again and finding nothing new costs the
    // group one fresh GET per reconcile and no write; with Manual no Plan or Promotion is read
    Map<String, Long> before = api.requests().snapshot();
    checkNow("web-image");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              Source src =
                  client.resources(Source.class).inNamespace("default").withName("web-image").get();
              String asked =
                  src.getMetadata().getAnnotations().get(SourceReconciler.CHECK_REQUESTED_AT);
              return asked.equals(src.getStatus().getLastHandledCheckAt())
                  && io.kapro.api.testing.ApiRequestCounts.delta(before, api.requests().snapshot())
                          .getOrDefault("get sourcegroups", 0L)
                      >= 1;
            });
    Map<String, Long> spent =
        io.kapro.api.testing.ApiRequestCounts.delta(before, api.requests().snapshot());
    assertThat(spent)
        .as(spent.toString())
        .doesNotContainKeys("patch sourcegroups/status", "get plans", "list promotions");
    // each reconcile reads the group once; the members and the Fleet come from the informers
    assertThat(spent).as(spent.toString()).containsKey("get sourcegroups");
  }

  @Test
  void aSetBelowWhatTheFirstStageProvedIsNotPromoted() {
    TestImages.push(registry.host(), IMAGES, "1.1.0");
    TestImages.push(registry.host(), CHARTS, "0.4.0");
    SourceFixtures.plan(client);
    SourceFixtures.fleet(client, "rollout", "web", "chart");
    // the first stage already runs web 1.2.0 (promoted by hand); the registry's newest is 1.1.0
    cluster("dev-0", "dev", Map.of("web", "1.2.0", "chart", "0.3.0"));
    group("release", "web-image", "web-chart");
    source("web-image", "web", IMAGES);
    source("web-chart", "chart", CHARTS);
    SourceGroupStatus s =
        awaitGroup(
            st ->
                ready(st.getConditions()) != null
                    && ready(st.getConditions()).getMessage().contains("not promoted"));
    assertThat(ready(s.getConditions()).getMessage())
        .contains("unit web 1.1.0 is older than 1.2.0");
    assertThat(s.getPromoted()).isNull();
    assertThat(promotion()).isNull();
  }

  @Test
  void aMemberWithoutVersionsYetIsReported() {
    TestImages.push(registry.host(), IMAGES, "1.0.0");
    SourceFixtures.fleet(client, null, "web", "chart");
    group("release", "web-image", "web-chart", "missing");
    source("web-image", "web", IMAGES);
    source("web-chart", "chart", CHARTS); // nothing pushed to the chart repository
    SourceGroupStatus s =
        awaitGroup(
            st ->
                ready(st.getConditions()) != null
                    && "SourceNotFound".equals(ready(st.getConditions()).getReason())
                    && ready(st.getConditions()).getMessage().contains("missing"));
    assertThat(ready(s.getConditions()).getMessage())
        .contains("Source default/missing does not exist");
    client
        .resources(SourceGroup.class)
        .inNamespace("default")
        .withName("release")
        .edit(
            g -> {
              g.getSpec().setSources(List.of("web-image", "web-chart"));
              return g;
            });
    s =
        awaitGroup(
            st ->
                ready(st.getConditions()) != null
                    && "NoVersionYet".equals(ready(st.getConditions()).getReason())
                    && ready(st.getConditions()).getMessage().contains("web-chart"));
    assertThat(ready(s.getConditions()).getMessage())
        .isEqualTo("Source web-chart (unit chart) has no version yet; no set");
    assertThat(s.getSets()).isNull();

    // a name that is no object name, a Source named twice: refused with the field named
    client
        .resources(SourceGroup.class)
        .inNamespace("default")
        .withName("release")
        .edit(
            g -> {
              g.getSpec().setSources(List.of("web-image", "../Web_Chart"));
              return g;
            });
    s =
        awaitGroup(
            st ->
                ready(st.getConditions()) != null
                    && "InvalidSpec".equals(ready(st.getConditions()).getReason()));
    assertThat(ready(s.getConditions()).getMessage())
        .contains("spec.sources: '../Web_Chart' is not a Source name");
    client
        .resources(SourceGroup.class)
        .inNamespace("default")
        .withName("release")
        .edit(
            g -> {
              g.getSpec().setSources(List.of("web-image", "web-image"));
              return g;
            });
    s =
        awaitGroup(
            st ->
                ready(st.getConditions()) != null
                    && ready(st.getConditions()).getMessage().contains("named twice"));
    assertThat(ready(s.getConditions()).getReason()).isEqualTo("InvalidSpec");
  }

  /**
   * Members checked before their group exists: they name it, so neither promotes its unit alone
   * (Ready=False says the group is missing, the versions are recorded); once the group is created
   * the set moves as one. On the code before spec.group, the first member checked with Auto
   * promoted its unit alone (Promotion shop-web).
   */
  @Test
  void membersCheckedBeforeTheirGroupExistsNeverPromoteAlone() {
    TestImages.push(registry.host(), IMAGES, "1.1.0");
    TestImages.push(registry.host(), CHARTS, "0.4.0");
    SourceFixtures.plan(client);
    SourceFixtures.fleet(client, "rollout", "web", "chart");
    cluster("dev-0", "dev", Map.of("web", "1.0.0", "chart", "0.3.0"));
    source("web-image", "web", IMAGES);
    source("web-chart", "chart", CHARTS);
    for (String name : List.of("web-image", "web-chart")) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                Source src =
                    client.resources(Source.class).inNamespace("default").withName(name).get();
                return src.getStatus() != null
                    && src.getStatus().getLatest() != null
                    && SourceReconciler.SOURCE_GROUP_NOT_FOUND.equals(
                        ready(src.getStatus().getConditions()).getReason());
              });
    }
    Source member =
        client.resources(Source.class).inNamespace("default").withName("web-image").get();
    assertThat(ready(member.getStatus().getConditions()).getMessage())
        .contains("spec.group: SourceGroup default/release does not exist; create it")
        .contains("not promoted alone (spec.group names SourceGroup release)");
    assertThat(member.getStatus().getLatest()).isEqualTo("1.1.0");
    assertThat(client.resources(Promotion.class).inNamespace("default").list().getItems())
        .as("no member promotes its unit alone")
        .isEmpty();

    group("release", "web-image", "web-chart");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(versions(promotion()))
                    .isEqualTo(Map.of("web", "1.1.0", "chart", "0.4.0")));
    checkNow("web-image");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              Source src =
                  client.resources(Source.class).inNamespace("default").withName("web-image").get();
              return ready(src.getStatus().getConditions()).getStatus()
                  == io.kapro.api.v1alpha2.ConditionStatus.True;
            });
    assertThat(
            client.resources(Promotion.class).inNamespace("default").list().getItems().stream()
                .map(x -> x.getMetadata().getName()))
        .containsExactly("shop-release");
  }

  /**
   * A member that does not name its group may have promoted (or may promote) its unit alone: with
   * Auto the group records its sets but promotes none until every member names it.
   */
  @Test
  void aGroupWithAMemberThatDoesNotNameItPromotesNothing() {
    TestImages.push(registry.host(), IMAGES, "1.1.0");
    TestImages.push(registry.host(), CHARTS, "0.4.0");
    SourceFixtures.plan(client);
    SourceFixtures.fleet(client, "rollout", "web", "chart");
    cluster("dev-0", "dev", Map.of("web", "1.0.0", "chart", "0.3.0"));
    group("release", "web-image", "web-chart");
    source("web-image", "web", IMAGES);
    source("web-chart", "chart", CHARTS, null);
    SourceGroupStatus s =
        awaitGroup(
            st ->
                ready(st.getConditions()) != null
                    && SourceGroupReconciler.MEMBER_NOT_BOUND.equals(
                        ready(st.getConditions()).getReason()));
    assertThat(ready(s.getConditions()).getMessage())
        .contains("Source web-chart does not name this group; set spec.group: release");
    assertThat(s.getLatest()).isEqualTo("web=1.1.0 chart=0.4.0");
    assertThat(promotion()).isNull();

    client
        .resources(Source.class)
        .inNamespace("default")
        .withName("web-chart")
        .edit(
            src -> {
              src.getSpec().setGroup("release");
              return src;
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(versions(promotion()))
                    .isEqualTo(Map.of("web", "1.1.0", "chart", "0.4.0")));
    assertThat(
            client.resources(Promotion.class).inNamespace("default").list().getItems().stream()
                .map(x -> x.getMetadata().getName()))
        .containsExactly("shop-release");
  }

  /**
   * examples/sources/{source,group}.yaml on the quickstart Fleet, pointed at the loopback registry
   * (url, plain HTTP, private network allowed; no pull Secret): tags pushed to both repositories
   * make one set, listed as available (the quickstart Fleet is Manual).
   */
  @Test
  void theExampleGroupFindsOneSetOfBothUnits() throws Exception {
    java.nio.file.Path root = io.kapro.api.Examples.repoRoot();
    client
        .resource(
            io.kapro.api.Examples.typed(
                io.kapro.api.Examples.read(root.resolve("examples/quickstart/fleet.yaml")).stream()
                    .filter(m -> m.kind().equals("Fleet"))
                    .findFirst()
                    .orElseThrow()
                    .object()))
        .inNamespace("default")
        .create();
    List<io.kapro.api.Examples.Manifest> manifests = new java.util.ArrayList<>();
    manifests.addAll(io.kapro.api.Examples.read(root.resolve("examples/sources/group.yaml")));
    manifests.addAll(io.kapro.api.Examples.read(root.resolve("examples/sources/source.yaml")));
    for (var m : manifests) { // the group first, as the example says
      var o = m.object().deepCopy();
      if (m.kind().equals("Source")) {
        var oci = (com.fasterxml.jackson.databind.node.ObjectNode) o.path("spec").path("oci");
        oci.put("url", "http://" + registry.host());
        oci.put("insecure", true);
        oci.put("allowPrivateNetwork", true);
        oci.remove("credentialsSecretRef");
      }
      client.resource(io.kapro.api.Examples.typed(o)).inNamespace("default").create();
    }
    String web = TestImages.push(registry.host(), "team/web", "1.5.0");
    TestImages.push(registry.host(), "team/web", "2.0.0"); // outside ">=1.0.0 <2.0.0"
    String api = TestImages.push(registry.host(), "team/api-config", "1.2.0");
    checkNow("web-image");
    checkNow("api-config");
    SourceGroupStatus s = awaitGroup(st -> "web=1.5.0 api=1.2.0".equals(st.getLatest()));
    assertThat(s.getSets().get(0).getMembers())
        .extracting(m -> m.getDigest())
        .containsExactly(web, api);
    assertThat(s.getAvailable()).containsExactly(s.getSets().get(0).getName());
    assertThat(client.resources(Promotion.class).inNamespace("default").list().getItems())
        .isEmpty();
  }

  private Promotion promotion() {
    return client.resources(Promotion.class).inNamespace("default").withName("shop-release").get();
  }

  private static Map<String, String> versions(Promotion p) {
    assertThat(p).isNotNull();
    Map<String, String> out = new HashMap<>();
    for (UnitVersion u : p.getSpec().getUnits()) {
      out.put(u.getName(), u.getVersion());
    }
    return out;
  }

  /** What {@code kapro sources --check NAME} does. */
  private void checkNow(String source) {
    client
        .resources(Source.class)
        .inNamespace("default")
        .withName(source)
        .edit(
            s -> {
              Map<String, String> a =
                  new HashMap<>(
                      s.getMetadata().getAnnotations() == null
                          ? Map.of()
                          : s.getMetadata().getAnnotations());
              a.put(SourceReconciler.CHECK_REQUESTED_AT, String.valueOf(System.nanoTime()));
              s.getMetadata().setAnnotations(a);
              return s;
            });
  }

  private SourceGroupStatus awaitGroup(Predicate<SourceGroupStatus> done) {
    SourceGroupStatus[] out = new SourceGroupStatus[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              SourceGroup g =
                  client
                      .resources(SourceGroup.class)
                      .inNamespace("default")
                      .withName("release")
                      .get();
              out[0] = g == null ? null : g.getStatus();
              return out[0] != null && done.test(out[0]);
            });
    return out[0];
  }

  private static Condition ready(List<Condition> conditions) {
    return Conditions.find(conditions, "Ready").orElse(null);
  }

  private void cluster(String name, String ring, Map<String, String> versions) {
    Cluster c = new Cluster();
    c.getMetadata().setName(name);
    c.getMetadata().setLabels(Map.of("fleet", "shop", "ring", ring));
    c = client.resource(c).inNamespace("default").create();
    ClusterStatus st = new ClusterStatus();
    Map<String, ProvenVersion> proven = new HashMap<>();
    versions.forEach(
        (unit, v) -> {
          ProvenVersion pv = new ProvenVersion();
          pv.setVersion(v);
          proven.put(unit, pv);
        });
    st.setVersions(proven);
    c.setStatus(st);
    client.resource(c).inNamespace("default").updateStatus();
  }

  /** A member of group {@code release}, as members are (it names its group). */
  private void source(String name, String unit, String repository) {
    source(name, unit, repository, "release");
  }

  private void source(String name, String unit, String repository, String group) {
    Source s = new Source();
    s.getMetadata().setName(name);
    SourceSpec spec = new SourceSpec();
    spec.setFleet("shop");
    spec.setUnit(unit);
    spec.setGroup(group);
    OciSource oci = new OciSource();
    oci.setUrl("http://" + registry.host());
    oci.setInsecure(true);
    oci.setRepository(repository);
    oci.setAllowPrivateNetwork(true);
    spec.setOci(oci);
    spec.setSemver("^" + (unit.equals("web") ? "1" : "0"));
    spec.setInterval("1h");
    s.setSpec(spec);
    client.resource(s).inNamespace("default").create();
  }

  private void group(String name, String... sources) {
    SourceGroup g = new SourceGroup();
    g.getMetadata().setName(name);
    SourceGroupSpec spec = new SourceGroupSpec();
    spec.setFleet("shop");
    spec.setSources(List.of(sources));
    g.setSpec(spec);
    client.resource(g).inNamespace("default").create();
  }
}
