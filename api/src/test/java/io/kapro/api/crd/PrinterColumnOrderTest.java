package io.kapro.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.kapro.api.testing.LocalKubeApi;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PrinterColumnOrderTest {
  @Test
  void generatedCrdsCarryTheOperatorColumnsInOrder() {
    Map<String, List<String>> columns =
        LocalKubeApi.kaproCrds().stream()
            .collect(
                Collectors.toMap(
                    c -> c.getSpec().getNames().getKind(), PrinterColumnOrderTest::columnNames));
    assertThat(columns.get("Target"))
        .containsExactly(
            "Cluster", "Stage", "Phase", "Version", "Health", "Drift", "Message", "Age");
    assertThat(columns.get("PromotionRun"))
        .containsExactly("Phase", "Version", "Targets", "Converged", "Failed", "Message", "Age");
    assertThat(columns.get("Cluster"))
        .containsExactly("Connected", "Version", "Health", "Drift", "Last Seen", "Age");
    assertThat(columns.get("Promotion")).containsExactly("Fleet", "Version", "Phase", "Run", "Age");
  }

  @Test
  void longColumnsAreForWideOutputOnly() {
    // kubectl shows priority > 0 columns only with -o wide; a message is hundreds of characters
    Map<String, Integer> priorities =
        LocalKubeApi.kaproCrds().stream()
            .flatMap(
                c ->
                    c.getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
                        .map(
                            col ->
                                Map.entry(
                                    c.getSpec().getNames().getKind() + "." + col.getName(),
                                    col.getPriority() == null ? 0 : col.getPriority())))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertThat(priorities).containsEntry("Target.Message", 1);
    priorities.forEach(
        (column, priority) -> {
          if (column.endsWith(".Message") || column.endsWith(".Evidence")) {
            assertThat(priority).as(column).isEqualTo(1);
          }
          if (column.endsWith(".Phase") || column.endsWith(".Age")) {
            assertThat(priority).as(column).isZero();
          }
        });
  }

  @Test
  void reorderLeavesEverythingButTheColumnBlockAlone() {
    List<String> lines =
        List.of(
            "spec:",
            "  - additionalPrinterColumns:",
            "    - jsonPath: \".b\"",
            "      name: \"B\"",
            "    - jsonPath: \".a\"",
            "      name: \"A\"",
            "    name: \"v1\"",
            "    served: true");
    assertThat(PrinterColumnOrder.reorder(lines, List.of("A", "B")))
        .containsExactly(
            "spec:",
            "  - additionalPrinterColumns:",
            "    - jsonPath: \".a\"",
            "      name: \"A\"",
            "    - jsonPath: \".b\"",
            "      name: \"B\"",
            "    name: \"v1\"",
            "    served: true");
  }

  private static List<String> columnNames(CustomResourceDefinition crd) {
    return crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
        .map(CustomResourceColumnDefinition::getName)
        .toList();
  }
}
