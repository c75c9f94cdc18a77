package io.kapro.cli.sources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.Conditions;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.DiscoveredVersion;
import io.kapro.api.v1alpha2.OciSource;
import io.kapro.api.v1alpha2.Source;
import io.kapro.api.v1alpha2.SourceSpec;
import io.kapro.api.v1alpha2.SourceStatus;
import io.kapro.cli.Cli;
import io.kapro.cli.Fleets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code kapro sources} lists what Sources found; {@code --check} asks the hub to check now. */
class SourcesCommandTest {
  static LocalKubeApi api;
  static Cli cli;

  @BeforeAll
  static void start() {
    api = LocalKubeApi.start();
    cli = new Cli(api);
    KubernetesClient c = api.client();
    Fleets.fleet(c, "web");
    Source s = new Source();
    s.getMetadata().setName("web-image");
    SourceSpec spec = new SourceSpec();
    spec.setFleet("web");
    spec.setUnit("web");
    OciSource oci = new OciSource();
    oci.setUrl("registry.example");
    oci.setRepository("team/web");
    spec.setOci(oci);
    s.setSpec(spec);
    s = c.resource(s).inNamespace(Fleets.NS).create();
    SourceStatus st = new SourceStatus();
    DiscoveredVersion v = new DiscoveredVersion();
    v.setVersion("1.5.0");
    v.setDigest("sha256:" + "a".repeat(64));
    st.setVersions(List.of(v));
    st.setLatest("1.5.0");
    st.setProven("1.4.0");
    st.setAvailable(List.of("1.5.0"));
    st.setLastCheckedAt(Instant.now().toString());
    st.setConditions(
        Conditions.set(
            null,
            Conditions.of("Ready", ConditionStatus.True, "Reconciled", "3 tags listed", 1L),
            Instant.now()));
    s.setStatus(st);
    c.resource(s).inNamespace(Fleets.NS).updateStatus();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void listsLatestProvenAndAvailable() {
    var r = cli.run("sources");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.lines().get(0)).contains("SOURCE", "LATEST", "PROVEN", "AVAILABLE", "READY");
    assertThat(r.lines().get(1)).contains("web-image", "web", "1.5.0", "1.4.0", "True");
    var json = cli.run("sources", "-o", "json");
    assertThat(json.out()).contains("\"available\"").contains("\"1.5.0\"");
    var status = cli.run("status", "web");
    assertThat(status.out()).contains("Sources:").contains("web-image");
    assertThat(cli.run("sources", "--fleet", "other").out()).contains("No sources");
    assertThat(cli.run("sources", "nope").exit()).isEqualTo(3);
  }

  @Test
  void showsSourceGroupsAndTheirSets() {
    KubernetesClient c = api.client();
    io.kapro.api.v1alpha2.SourceGroup g = new io.kapro.api.v1alpha2.SourceGroup();
    g.getMetadata().setName("release");
    var spec = new io.kapro.api.v1alpha2.SourceGroupSpec();
    spec.setFleet("web");
    spec.setSources(List.of("web-image", "web-chart"));
    g.setSpec(spec);
    g = c.resource(g).inNamespace(Fleets.NS).create();
    var st = new io.kapro.api.v1alpha2.SourceGroupStatus();
    st.setSets(
        List.of(
            set("1a10f90064", "1.5.0", "0.4.0", Instant.now().minusSeconds(60)),
            set("d90f37294d", "1.4.0", "0.4.0", Instant.now().minusSeconds(3600))));
    st.setLatest("web=1.5.0 chart=0.4.0");
    st.setProven("web=1.4.0 chart=0.4.0");
    st.setAvailable(List.of("1a10f90064"));
    st.setPromoted("d90f37294d");
    st.setConditions(
        Conditions.set(
            null,
            Conditions.of("Ready", ConditionStatus.True, "Reconciled", "2 sets kept", 1L),
            Instant.now()));
    g.setStatus(st);
    c.resource(g).inNamespace(Fleets.NS).updateStatus();
    try {
      var r = cli.run("sources");
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.out()).contains("Source groups (promoted together):", "Sets (newest first):");
      assertThat(r.lines())
          .anySatisfy(
              l ->
                  assertThat(l)
                      .contains("release", "web-image,web-chart", "web=1.5.0 chart=0.4.0")
                      .contains("1a10f90064", "d90f37294d", "True"))
          .anySatisfy(
              l ->
                  assertThat(l)
                      .contains("1a10f90064", "release", "web=1.5.0 chart=0.4.0", "available"))
          .anySatisfy(
              l ->
                  assertThat(l)
                      .contains("d90f37294d", "release", "web=1.4.0 chart=0.4.0", "promoted"));
      assertThat(cli.run("sources", "--fleet", "other").out()).doesNotContain("release");
      // a group's name stands for its members: web-chart does not exist, so it is named
      var check = cli.run("sources", "--check", "release");
      assertThat(check.exit()).isEqualTo(3);
      assertThat(check.toString()).contains("web-chart");
      var status = cli.run("status", "web");
      assertThat(status.out())
          .contains("Source groups (promoted together):")
          .contains("web=1.5.0 chart=0.4.0");
    } finally {
      c.resource(g).inNamespace(Fleets.NS).delete();
    }
  }

  private static io.kapro.api.v1alpha2.DiscoveredSet set(
      String name, String web, String chart, Instant at) {
    var s = new io.kapro.api.v1alpha2.DiscoveredSet();
    s.setName(name);
    s.setDiscoveredAt(at.toString());
    s.setMembers(List.of(member("web-image", "web", web), member("web-chart", "chart", chart)));
    return s;
  }

  private static io.kapro.api.v1alpha2.SetMember member(String source, String unit, String v) {
    var m = new io.kapro.api.v1alpha2.SetMember();
    m.setSource(source);
    m.setUnit(unit);
    m.setVersion(v);
    return m;
  }

  @Test
  void checkSetsTheAnnotationTheHubWatches() {
    var r = cli.run("sources", "--check", "web-image");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("check requested for 1 source");
    Source s =
        api.client().resources(Source.class).inNamespace(Fleets.NS).withName("web-image").get();
    assertThat(s.getMetadata().getAnnotations()).containsKey(SourcesCommand.CHECK_REQUESTED_AT);
  }
}
