package io.kapro.hub.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Fuzzes how the hub reads a Helm chart repository's {@code index.yaml} ({@link
 * HelmIndex#entries}): the repository is a peer we do not control. The seed corpus under {@code
 * HelmIndexFuzzTestInputs/entries/} holds Helm's own index fixtures (helm/helm {@code
 * pkg/repo/testdata}, cited inside each) plus a malformed and an aliased index.
 *
 * <p>Invariants: only {@link SourceException} with reason MalformedIndex, TooManyTags or
 * ChartNotFound, its message one line naming the field; or at most 100 entries of chart nginx, each
 * with a non-blank version, distinct, and a digest that is {@code sha256:} and hex.
 */
class HelmIndexFuzzTest {
  private static final String WHERE = "spec.helm.url: http://charts.test/index.yaml";

  @FuzzTest(maxDuration = "60s")
  void entries(byte[] data) {
    List<HelmIndex.Entry> entries;
    try {
      entries = HelmIndex.entries(data, "nginx", 100, WHERE);
    } catch (SourceException e) {
      assertThat(e.reason()).isIn("MalformedIndex", "TooManyTags", "ChartNotFound");
      assertThat(e.getMessage()).startsWith("spec.helm.url").doesNotContain("\n", "\r");
      return;
    }
    assertThat(entries).hasSizeLessThanOrEqualTo(100);
    assertThat(entries).extracting(HelmIndex.Entry::version).doesNotHaveDuplicates();
    for (HelmIndex.Entry e : entries) {
      assertThat(e.version()).isNotBlank();
      if (e.digest() != null) {
        assertThat(e.digest()).matches("sha256:[A-Fa-f0-9]{1,64}");
      }
    }
  }
}
