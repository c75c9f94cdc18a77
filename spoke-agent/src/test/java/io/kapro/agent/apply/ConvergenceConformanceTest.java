package io.kapro.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kapro.agent.config.ManagedKind;
import io.kapro.oci.bundle.FieldSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The judges against status objects taken from the upstream projects' own docs, test data and test
 * tables ({@code src/test/resources/conformance}, see its README): each case names where it comes
 * from and the verdict upstream implies.
 */
class ConvergenceConformanceTest {
  static final YAMLMapper YAML = new YAMLMapper();

  /** Which problem class of issue #17 applies to which kinds. */
  static final Map<String, Set<String>> CLASSES =
      Map.of(
          "suspended", Set.of("HelmRelease", "Kustomization", "OCIRepository", "GitRepository"),
          "deleting",
              Set.of(
                  "HelmRelease", "Kustomization", "OCIRepository", "GitRepository", "Application"),
          "source-revision", Set.of("OCIRepository", "GitRepository"),
          "ready-generation",
              Set.of("HelmRelease", "Kustomization", "OCIRepository", "GitRepository"),
          "unfinished-operation", Set.of("Application"));

  static final Set<String> KNOWN_CLASSES =
      Set.of(
          "easy",
          "suspended",
          "deleting",
          "source-revision",
          "ready-generation",
          "unfinished-operation",
          "reconcile-request");

  /** One case with the file it came from and that file's source table. */
  record Case(String file, JsonNode sources, JsonNode node) {
    String name() {
      return node.path("name").asText();
    }

    String kind() {
      return node.path("object").path("kind").asText();
    }

    @Override
    public String toString() {
      return file + ": " + name();
    }
  }

  static List<Case> cases() {
    try {
      Path root = Path.of(ConvergenceConformanceTest.class.getResource("/conformance").toURI());
      List<Case> out = new ArrayList<>();
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
          JsonNode doc = read(f);
          String file = root.relativize(f).toString();
          for (JsonNode c : doc.path("cases")) {
            out.add(new Case(file, doc.path("sources"), c));
          }
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SnakeYAML resolves the {@code &anchor}/{@code *alias} pairs the files use to share objects. */
  static JsonNode read(Path file) throws IOException {
    try (var in = Files.newBufferedReader(file)) {
      Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      return YAML.valueToTree(doc);
    }
  }

  static Stream<Arguments> arguments() {
    return cases().stream().map(c -> Arguments.of(c.toString(), c));
  }

  static Desired desired(JsonNode d) {
    List<FieldSet> sets = new ArrayList<>();
    d.path("set")
        .properties()
        .forEach(e -> sets.add(new FieldSet(e.getKey(), e.getValue().asText())));
    return new Desired(
        d.path("version").asText(),
        d.path("digest").asText(""),
        sets,
        d.path("requestedAt").asText(""),
        Instant.parse(d.path("appliedAt").asText("1970-01-01T00:00:00Z")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("arguments")
  void judgesTheWayUpstreamDoes(String name, Case c) {
    JsonNode object = c.node().path("object");
    ManagedKind kind =
        ManagedKind.of(object.path("apiVersion").asText(), object.path("kind").asText())
            .orElseThrow(() -> new AssertionError(name + ": not a managed kind"));
    Judgement j = ConvergenceJudge.judge(kind, object, desired(c.node().path("desired")));
    JsonNode expect = c.node().path("expect");
    assertThat(j.phase())
        .as("%s → %s", name, j.message())
        .isEqualTo(ConvergencePhase.valueOf(expect.path("phase").asText()));
    assertThat(j.message()).as(name).contains(expect.path("message").asText());
    if (j.phase() != ConvergencePhase.CONVERGED) {
      assertThat(j.message()).as("%s: a verdict short of Converged says why", name).isNotBlank();
    }
  }

  @Test
  void everyCaseNamesItsUpstreamSourceAndWhatItShows() {
    List<Case> all = cases();
    Set<String> names = new HashSet<>();
    for (Case c : all) {
      assertThat(names.add(c.kind() + "/" + c.name())).as("duplicate case %s", c).isTrue();
      assertThat(KNOWN_CLASSES).as("class of %s", c).contains(c.node().path("class").asText());
      assertThat(c.node().path("shows").asText()).as("%s: shows", c).isNotBlank();
      assertThat(c.node().path("expect").path("message").asText())
          .as("%s: expected message", c)
          .isNotBlank();
      JsonNode keys = c.node().path("sources");
      assertThat(keys.isArray() && !keys.isEmpty()).as("%s cites a source", c).isTrue();
      for (JsonNode key : keys) {
        JsonNode s = c.sources().path(key.asText());
        assertThat(s.isObject()).as("%s: source %s is listed in its file", c, key).isTrue();
        boolean commit = s.path("commit").asText("").matches("[0-9a-f]{40}");
        boolean url = s.path("url").asText("").startsWith("https://");
        assertThat(
                url
                    || (!s.path("repository").asText("").isEmpty()
                        && !s.path("path").asText("").isEmpty()
                        && commit))
            .as("%s: source %s gives repository, path and commit, or a URL", c, key)
            .isTrue();
      }
    }
    assertThat(all).as("conformance cases").hasSizeGreaterThanOrEqualTo(60);
    assertThat(all.stream().map(Case::kind).distinct())
        .containsExactlyInAnyOrder(
            "HelmRelease", "Kustomization", "OCIRepository", "GitRepository", "Application");
  }

  @Test
  void everyProblemClassHasANonConvergedCaseForEveryKindItAppliesTo() {
    Map<String, Set<String>> covered = new TreeMap<>();
    for (Case c : cases()) {
      if (!c.node().path("expect").path("phase").asText().equals("CONVERGED")) {
        covered
            .computeIfAbsent(c.node().path("class").asText(), k -> new HashSet<>())
            .add(c.kind());
      }
    }
    CLASSES.forEach(
        (cls, kinds) ->
            assertThat(covered.getOrDefault(cls, Set.of()))
                .as("kinds with a %s case", cls)
                .containsAll(kinds));
  }

  @Test
  void aSuspendedObjectIsNeverConvergedAndSaysSuspended() {
    List<Case> suspended =
        cases().stream().filter(c -> c.node().path("class").asText().equals("suspended")).toList();
    assertThat(suspended).isNotEmpty();
    for (Case c : suspended) {
      JsonNode object = c.node().path("object");
      ManagedKind kind =
          ManagedKind.of(object.path("apiVersion").asText(), object.path("kind").asText())
              .orElseThrow();
      Judgement j = ConvergenceJudge.judge(kind, object, desired(c.node().path("desired")));
      assertThat(j.phase()).as(c.toString()).isNotEqualTo(ConvergencePhase.CONVERGED);
      assertThat(j.message()).as(c.toString()).contains("suspended");
    }
  }
}
