package io.kapro.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.Examples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/crd-reference.md is rendered from the generated CRDs and must match them. */
class CrdReferenceTest {
  @Test
  void referenceMatchesTheCrds() throws IOException {
    Path doc = Examples.repoRoot().resolve("docs/crd-reference.md");
    String want = CrdReference.render(LocalCrds.inApiOrder());
    if (Boolean.getBoolean("kapro.crds.update")) {
      Files.writeString(doc, want);
    }
    assertThat(doc).exists();
    assertThat(Files.readString(doc))
        .as("docs/crd-reference.md is stale; refresh with: " + CrdDriftTest.REFRESH)
        .isEqualTo(want);
    assertThat(want)
        .contains(
            "## Target", "| Cluster | `.spec.cluster` | string |", "`spec.stages[].dependsOn`");
  }
}
