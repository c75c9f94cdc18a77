package io.kapro.hub.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.api.v1alpha2.SourceSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The index reader on Helm's own index fixtures (helm/helm {@code pkg/repo/testdata}, cited in each
 * file) and on hostile input: malformed YAML, what Helm refuses, an alias bomb, too many entries.
 */
class HelmIndexTest {
  private static final String WHERE = "spec.helm.url: http://charts.test/index.yaml";

  @Test
  void helmsLocalIndexListsTheChartsVersionsWithDigestsAndUrls() throws IOException {
    List<HelmIndex.Entry> nginx =
        HelmIndex.entries(fixture("local-index.yaml"), "nginx", 100, WHERE);
    assertThat(nginx).extracting(HelmIndex.Entry::version).containsExactly("0.2.0", "0.1.0");
    assertThat(nginx.get(0).digest()).isEqualTo("sha256:1234567890abcdef");
    assertThat(nginx.get(0).urls())
        .containsExactly("https://charts.helm.sh/stable/nginx-0.2.0.tgz");
    List<HelmIndex.Entry> alpine =
        HelmIndex.entries(fixture("local-index.yaml"), "alpine", 100, WHERE);
    assertThat(alpine.get(0).urls()).hasSize(2);
    List<HelmIndex.Entry> noUrl =
        HelmIndex.entries(fixture("local-index.yaml"), "chartWithNoURL", 100, WHERE);
    assertThat(noUrl).singleElement().satisfies(e -> assertThat(e.urls()).isEmpty());
  }

  @Test
  void buildMetadataVersionsAndExtraTopLevelFieldsAreRead() throws IOException {
    List<HelmIndex.Entry> nginx =
        HelmIndex.entries(fixture("local-index-annotations.yaml"), "nginx", 100, WHERE);
    assertThat(nginx)
        .extracting(HelmIndex.Entry::version)
        .containsExactly("0.3.0+abc", "0.3.0", "0.2.0", "0.1.0");
    assertThat(HelmIndex.entries(fixture("chartmuseum-index.yaml"), "nginx", 100, WHERE))
        .extracting(HelmIndex.Entry::version)
        .containsExactly("0.2.0", "0.1.0");
    // the Source's policy orders them as Helm does (SemVer, newest first)
    SourceSpec spec = new SourceSpec();
    spec.setSemver(">=0.2.0");
    TagPolicy policy = TagPolicy.of(spec);
    assertThat(policy.select(List.of("0.1.0", "0.2.0", "0.3.0")))
        .extracting(TagPolicy.Candidate::tag)
        .containsExactly("0.3.0", "0.2.0");
  }

  @Test
  void anIndexWithoutApiVersionIsRefusedAsHelmRefusesIt() throws IOException {
    assertThatThrownBy(
            () -> HelmIndex.entries(fixture("unversioned-index.yaml"), "mysql", 100, WHERE))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("spec.helm.url")
        .hasMessageContaining("no apiVersion")
        .satisfies(e -> assertThat(((SourceException) e).reason()).isEqualTo("MalformedIndex"));
  }

  @Test
  void aChartTheIndexDoesNotListIsNamed() throws IOException {
    assertThatThrownBy(() -> HelmIndex.entries(fixture("local-index.yaml"), "web", 100, WHERE))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("lists no chart web")
        .hasMessageContaining("spec.helm.chart");
  }

  @Test
  void malformedYamlIsRefusedNamingTheField() {
    for (String bad :
        List.of(
            "apiVersion: v1\nentries:\n  web: [\n",
            "apiVersion: v1\nentries:\n  web:\n  - version: 1.0.0\n    version: 1.0.1\n",
            "apiVersion: v1\nentries: [1, 2]\n",
            "apiVersion: v1\nentries:\n  web: {version: 1.0.0}\n",
            "apiVersion: v1\nentries:\n  web:\n  - just a string\n",
            "apiVersion: v1\nentries:\n  web:\n  - version: 1.0.0\n    digest: \"not hex!\"\n",
            "- a list, not an index\n",
            "apiVersion: v1\nentries:\n  web:\n  - version: !!java.io.File /etc\n")) {
      assertThatThrownBy(
              () -> HelmIndex.entries(bad.getBytes(StandardCharsets.UTF_8), "web", 100, WHERE))
          .as(bad)
          .isInstanceOf(SourceException.class)
          .hasMessageContaining("spec.helm.url")
          .satisfies(e -> assertThat(((SourceException) e).reason()).isIn("MalformedIndex"));
    }
    byte[] latin1 = "apiVersion: v1\n# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> HelmIndex.entries(latin1, "web", 100, WHERE))
        .hasMessageContaining("not UTF-8");
  }

  @Test
  void deepNestingIsRefusedNotAStackOverflowInTheHub() {
    for (String deep :
        List.of(
            "apiVersion: v1\nentries: " + "[".repeat(200_000),
            "apiVersion: v1\nentries:\n  web: " + "{a: ".repeat(100_000),
            "apiVersion: v1\nentries:\n  web:\n  " + "- ".repeat(100_000) + "x\n")) {
      assertThatThrownBy(
              () -> HelmIndex.entries(deep.getBytes(StandardCharsets.UTF_8), "web", 10, WHERE))
          .isInstanceOf(SourceException.class)
          .hasMessageContaining("spec.helm.url");
    }
  }

  @Test
  void anAliasBombIsRefusedBeforeItExpands() {
    // the "billion laughs" shape SnakeYAML's own tests use (snakeyaml-engine
    // BillionLaughsAttackTest): nine levels of nine aliases each, inside an index
    StringBuilder y = new StringBuilder("apiVersion: v1\nbomb:\n  a: &a [\"lol\"");
    y.append(",\"lol\"".repeat(8)).append("]\n");
    char prev = 'a';
    for (char c = 'b'; c <= 'i'; c++) {
      y.append("  ").append(c).append(": &").append(c).append(" [");
      y.append(("*" + prev + ",").repeat(8)).append("*").append(prev).append("]\n");
      prev = c;
    }
    y.append("entries:\n  web:\n  - version: 1.0.0\n    urls: *i\n");
    assertThatThrownBy(
            () ->
                HelmIndex.entries(y.toString().getBytes(StandardCharsets.UTF_8), "web", 10, WHERE))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("spec.helm.url")
        .hasMessageContaining("alias")
        .satisfies(e -> assertThat(((SourceException) e).reason()).isEqualTo("MalformedIndex"));
  }

  @Test
  void tooManyVersionsOrEntriesAreRefusedNotTruncated() {
    StringBuilder y = new StringBuilder("apiVersion: v1\nentries:\n  web:\n");
    for (int i = 0; i < 11; i++) {
      y.append("  - version: 1.0.").append(i).append('\n');
    }
    assertThatThrownBy(
            () ->
                HelmIndex.entries(y.toString().getBytes(StandardCharsets.UTF_8), "web", 10, WHERE))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("more than 10 versions of chart web")
        .hasMessageContaining("spec.maxTags")
        .satisfies(e -> assertThat(((SourceException) e).reason()).isEqualTo("TooManyTags"));
    assertThat(HelmIndex.entries(y.toString().getBytes(StandardCharsets.UTF_8), "web", 11, WHERE))
        .hasSize(11);

    // many small entries across charts: the cap on the whole index
    StringBuilder many = new StringBuilder("apiVersion: v1\nentries:\n");
    int charts = HelmIndex.MAX_ENTRIES / 1000 + 1;
    for (int c = 0; c < charts; c++) {
      many.append("  c").append(c).append(": [").append("{},".repeat(999)).append("{}]\n");
    }
    many.append("  web: [{version: 1.0.0}]\n");
    assertThatThrownBy(
            () ->
                HelmIndex.entries(
                    many.toString().getBytes(StandardCharsets.UTF_8), "web", 10, WHERE))
        .hasMessageContaining("more than " + HelmIndex.MAX_ENTRIES + " entries");
  }

  @Test
  void entriesWithoutAVersionAreSkippedAsHelmSkipsThem() {
    String y =
        "apiVersion: v1\nentries:\n  web:\n  -\n  - name: web\n  - version: 1.0.0\n"
            + "    created: \"2016-10-06T16:23:20.499814565-06:00\"\n"
            + "    digest: 99c76e403d752c84ead610644d4b1c2f2b453a74b921f422b9dcb8a7c8b559cd\n";
    List<HelmIndex.Entry> e =
        HelmIndex.entries(y.getBytes(StandardCharsets.UTF_8), "web", 10, WHERE);
    assertThat(e)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.version()).isEqualTo("1.0.0");
              assertThat(x.created()).isEqualTo("2016-10-06T22:23:20.499814565Z");
              assertThat(x.digest())
                  .isEqualTo(
                      "sha256:99c76e403d752c84ead610644d4b1c2f2b453a74b921f422b9dcb8a7c8b559cd");
            });
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = HelmIndexTest.class.getResourceAsStream("/helm/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }
}
