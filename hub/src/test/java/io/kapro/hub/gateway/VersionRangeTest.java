package io.kapro.hub.gateway;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.hub.link.LinkException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VersionRangeTest {
  private final VersionRange range = new VersionRange("0.1.0", "1.0.0");

  @ParameterizedTest
  @ValueSource(strings = {"0.1.0", "0.9.99", "v0.2.3", "0.5.0-rc.1", "0.5.0+build.7"})
  void accepts(String version) {
    assertThatCode(() -> range.check(version)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.9",
        "1.0.0",
        "2.3.4",
        "",
        "latest",
        "1.0",
        "0.1.0.0",
        "9999999.0.0",
        "0.1.0-$(x)"
      })
  void refusesNamingTheRange(String version) {
    assertThatThrownBy(() -> range.check(version))
        .isInstanceOf(LinkException.class)
        .hasMessageContaining(">=0.1.0 <1.0.0");
  }
}
