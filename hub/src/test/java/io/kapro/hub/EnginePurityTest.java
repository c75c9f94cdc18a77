package io.kapro.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The promotion engine stays pure Java: nothing in the plan and gate packages, and nothing in the
 * run package but its Kubernetes adapters, imports fabric8, JOSDK or the CRD classes.
 */
class EnginePurityTest {
  private static final Set<String> RUN_ADAPTERS =
      Set.of(
          "PromotionRunReconciler.java",
          "RunInputs.java",
          "RunWriter.java",
          "RunStatusWriter.java",
          "PlanMapping.java",
          "WebhookAnswers.java");

  @Test
  void engineImportsNoKubernetesClasses() throws IOException {
    Path root = Path.of("src/main/java/io/kapro/hub");
    List<Path> engine;
    try (Stream<Path> files = Files.walk(root)) {
      engine =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(
                  p -> {
                    String pkg = root.relativize(p.getParent()).toString();
                    return pkg.equals("plan")
                        || pkg.equals("gate")
                        || (pkg.equals("run")
                            && !RUN_ADAPTERS.contains(p.getFileName().toString()));
                  })
              .toList();
    }
    assertThat(engine).hasSizeGreaterThan(40);
    for (Path p : engine) {
      assertThat(Files.readString(p))
          .as(p.toString())
          .doesNotContain("import io.fabric8")
          .doesNotContain("import io.javaoperatorsdk")
          .doesNotContain("import io.kapro.api");
    }
  }
}
