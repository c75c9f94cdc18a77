package io.kapro.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The bench's column specs: builds and flag variants of scripts/bench-agent. */
class AgentFootprintSpecsTest {
  @Test
  void specsKeepTheirOrderAndRefuseAnEntryWithoutALabelOrAValue() {
    assertThat(AgentFootprint.specs("session start=/tmp/a; own client=/tmp/b;"))
        .containsExactly(
            java.util.Map.entry("session start", "/tmp/a"),
            java.util.Map.entry("own client", "/tmp/b"));
    assertThat(AgentFootprint.specs("")).isEmpty();
    assertThatThrownBy(() -> AgentFootprint.specs("/tmp/a"))
        .hasMessageContaining("is not label=value");
    assertThatThrownBy(() -> AgentFootprint.specs("label="))
        .hasMessageContaining("is not label=value");
  }

  @Test
  void aVariantFlagReplacesTheShippedFlagOfTheSameName() {
    assertThat(AgentFootprint.flagName("-Xmx20m")).isEqualTo(AgentFootprint.flagName("-Xmx24m"));
    assertThat(AgentFootprint.flagName("-Xmn1m")).isEqualTo("-Xmn");
    assertThat(AgentFootprint.flagName("-XX:CompileThresholdScaling=30"))
        .isEqualTo("CompileThresholdScaling");
    assertThat(AgentFootprint.flagName("-XX:-UseCompactObjectHeaders"))
        .isEqualTo(AgentFootprint.flagName("-XX:+UseCompactObjectHeaders"));
    assertThat(AgentFootprint.flagName("-Dfoo=1")).isEqualTo("-Dfoo");
    assertThat(AgentFootprint.flagName("-Xss256k")).isEqualTo("-Xss");
  }
}
