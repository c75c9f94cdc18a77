package io.kapro.hub;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The promotion engine is pure Java, so it is tested in milliseconds and decides the same way
 * wherever it runs: the engine packages ({@code engine}, with the compiled plan in {@code
 * engine.plan}, and {@code gate}) may not use the Kubernetes client, the operator framework, gRPC
 * or the network. They may read the api module's spec and status classes and enums (plain beans;
 * the CRD roots, which extend the client's {@code CustomResource}, are out by the same rule).
 * Checked on the compiled classes, so a fully qualified name or a wildcard import does not slip
 * through.
 */
class EngineImportRuleTest {
  static final String[] ENGINE = {"io.kapro.hub.engine..", "io.kapro.hub.gate.."};

  static final ArchRule ENGINE_IS_PURE =
      noClasses()
          .that()
          .resideInAnyPackage(ENGINE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.fabric8.kubernetes.client..",
              "io.javaoperatorsdk..",
              "io.grpc..",
              "java.net..",
              "java.net.http..")
          .because("the engine is pure Java: the reconcilers around it do the I/O");

  @Test
  void theEngineImportsNoClientJosdkGrpcOrNetwork() {
    // the hub's main classes only (test sources hold a deliberate offender, below)
    JavaClasses main = new ClassFileImporter().importPath(Path.of("target", "classes"));
    assertThat(main.stream().filter(c -> c.getPackageName().startsWith("io.kapro.hub.engine")))
        .hasSizeGreaterThan(15);
    EvaluationResult result = ENGINE_IS_PURE.evaluate(main);
    assertThat(result.getFailureReport().getDetails()).isEmpty();
  }

  @Test
  void theRuleReportsAnEngineClassThatBreaksIt() {
    JavaClasses offender =
        new ClassFileImporter().importClasses(io.kapro.hub.engine.purity.NetworkUsingStep.class);
    EvaluationResult result = ENGINE_IS_PURE.evaluate(offender);
    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().getDetails())
        .anySatisfy(d -> assertThat(d).contains("NetworkUsingStep", "java.net.URL"))
        .anySatisfy(d -> assertThat(d).contains("NetworkUsingStep", "KubernetesClient"));
  }
}
