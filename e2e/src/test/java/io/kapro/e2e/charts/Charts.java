package io.kapro.e2e.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Runs helm (helm-java's bundled native helm) on the charts under {@code charts/}. */
final class Charts {
  static final YAMLMapper YAML = new YAMLMapper();

  /** The repository root (the e2e module's parent). */
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  private Charts() {}

  static Path chart(String name) {
    return ROOT.resolve("charts").resolve(name);
  }

  /** The rendered manifests, parsed; values from {@code valuesYaml} (may be empty). */
  static Rendered template(String chart, String valuesYaml, Map<String, String> sets) {
    TemplateCommand t =
        new Helm(chart(chart)).template().withName("kapro").withNamespace("kapro-system");
    if (!valuesYaml.isBlank()) {
      t = t.withValuesFile(write("values-", valuesYaml));
    }
    for (Map.Entry<String, String> e : sets.entrySet()) {
      t = t.set(e.getKey(), e.getValue());
    }
    return new Rendered(parse(t.call()));
  }

  /** The error helm reports for these values (fails the test if it renders). */
  static String templateError(String chart, String valuesYaml, Map<String, String> sets) {
    try {
      template(chart, valuesYaml, sets);
    } catch (IllegalStateException e) {
      return e.getMessage();
    }
    throw new AssertionError(chart + " rendered with values that should be refused: " + sets);
  }

  /** {@code helm lint --strict} on the chart as it is (its own values.yaml). */
  static LintResult lint(String chart) {
    return new Helm(chart(chart)).lint().strict().call();
  }

  /**
   * {@code helm lint --strict} on a copy of the chart whose values.yaml is the chart's own with
   * {@code overridesYaml} merged in (helm lint takes no values file through helm-java).
   */
  static LintResult lintWith(String chart, String overridesYaml) {
    Path copy = copy(chart(chart));
    try {
      ObjectNode values = (ObjectNode) YAML.readTree(copy.resolve("values.yaml").toFile());
      merge(values, (ObjectNode) YAML.readTree(overridesYaml));
      YAML.writeValue(copy.resolve("values.yaml").toFile(), values);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Helm(copy).lint().strict().call();
  }

  /** Lint messages that are warnings or errors (strict lint fails on them). */
  static List<String> problems(LintResult r) {
    return r.getMessages().stream()
        .filter(m -> m.contains("[WARNING]") || m.contains("[ERROR]"))
        .toList();
  }

  private static void merge(ObjectNode into, ObjectNode from) {
    for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode old = into.get(e.getKey());
      if (old instanceof ObjectNode o && e.getValue() instanceof ObjectNode n) {
        merge(o, n);
      } else {
        into.set(e.getKey(), e.getValue());
      }
    }
  }

  private static List<JsonNode> parse(String yaml) {
    try {
      List<JsonNode> docs = new ArrayList<>();
      YAML.readValues(YAML.getFactory().createParser(yaml), JsonNode.class)
          .forEachRemaining(
              d -> {
                if (d != null && !d.isNull() && !d.isMissingNode()) {
                  docs.add(d);
                }
              });
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path write(String prefix, String content) {
    try {
      Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
      Path f = Files.createTempFile(dir, prefix, ".yaml");
      Files.writeString(f, content);
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path copy(Path chart) {
    try {
      Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
      Path to = Files.createTempDirectory(dir, "chart-").resolve(chart.getFileName());
      try (Stream<Path> files = Files.walk(chart)) {
        for (Path p : files.toList()) {
          Path target = to.resolve(chart.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.copy(p, target);
          }
        }
      }
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rendered manifests with lookups by kind and name. */
  record Rendered(List<JsonNode> docs) {
    List<JsonNode> all(String kind) {
      return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    JsonNode one(String kind) {
      List<JsonNode> found = all(kind);
      if (found.size() != 1) {
        throw new AssertionError("expected one " + kind + ", found " + found.size());
      }
      return found.get(0);
    }

    Optional<JsonNode> find(String kind, String name) {
      return all(kind).stream()
          .filter(d -> name.equals(d.path("metadata").path("name").asText()))
          .findFirst();
    }

    JsonNode get(String kind, String name) {
      return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    List<String> kinds() {
      return docs.stream().map(d -> d.path("kind").asText()).sorted().toList();
    }
  }
}
