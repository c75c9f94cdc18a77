package io.kapro.oci.version;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SemverRange} against Masterminds/semver's own constraint table (the library Flux uses).
 */
class SemverRangeTest {
  static Stream<Arguments> masterminds() throws IOException {
    try (InputStream in =
        SemverRangeTest.class.getResourceAsStream(
            "/conformance/semver/masterminds-constraints.yaml")) {
      JsonNode doc = new YAMLMapper().readTree(in);
      List<Arguments> out = new ArrayList<>();
      for (JsonNode row : doc.path("constraints")) {
        out.add(Arguments.of(row.get(0).asText(), row.get(1).asText(), row.get(2).asBoolean()));
      }
      assertThat(out).hasSizeGreaterThan(100);
      return out.stream();
    }
  }

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @MethodSource("masterminds")
  void decidesLikeMasterminds(String constraint, String version, boolean expected) {
    assertThat(SemverRange.parse(constraint))
        .as(constraint)
        .hasValueSatisfying(r -> assertThat(r.contains(version)).isEqualTo(expected));
  }

  @Test
  void refusesWhatIsNotAConstraint() {
    // Masterminds TestNewConstraint: these are errors.
    assertThat(SemverRange.parse(">= bar")).isEmpty();
    assertThat(SemverRange.parse("BAR >= 1.2.3")).isEmpty();
    assertThat(SemverRange.parse("12.3.4.1234")).isEmpty();
    assertThat(SemverRange.parse("12.3.34~ 1.2.3")).isEmpty();
    assertThat(SemverRange.parse("12.3.34 ~1.2.3")).isPresent();
  }

  @Test
  void tellsARangeFromAnExactVersion() {
    assertThat(SemverRange.isRange("6.5.1")).isFalse();
    assertThat(SemverRange.isRange("v1.2.3-rc.1+build.5")).isFalse();
    assertThat(SemverRange.isRange("6.5")).isTrue();
    assertThat(SemverRange.isRange("6.5.x")).isTrue();
    assertThat(SemverRange.isRange(">=1.0.0 <2.0.0")).isTrue();
    assertThat(SemverRange.isRange("*")).isTrue();
  }
}
