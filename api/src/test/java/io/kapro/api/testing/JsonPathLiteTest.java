package io.kapro.api.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JsonPathLiteTest {
  private final JsonNode doc;

  JsonPathLiteTest() throws Exception {
    doc =
        new ObjectMapper()
            .readTree(
                """
                {"spec": {"units": [{"name": "web", "version": "1.4.0"}, {"name": "api", "version": "v2"}],
                          "labels": {"kapro.io/stage": "prod"}},
                 "status": {"conditions": [{"type": "Ready", "status": "False"},
                                           {"type": "Connected", "status": "True"}],
                            "summary": {"targets": 3}}}
                """);
  }

  @Test
  void fieldsIndexesWildcardsAndFilters() {
    assertThat(JsonPathLite.first(doc, ".spec.units[0].version").asText()).isEqualTo("1.4.0");
    assertThat(JsonPathLite.first(doc, ".spec.units[-1].name").asText()).isEqualTo("api");
    assertThat(JsonPathLite.evaluate(doc, ".spec.units[*].name"))
        .extracting(JsonNode::asText)
        .containsExactly("web", "api");
    assertThat(
            JsonPathLite.first(doc, ".status.conditions[?(@.type==\"Connected\")].status").asText())
        .isEqualTo("True");
    assertThat(JsonPathLite.evaluate(doc, ".status.conditions[?(@.type!=\"Connected\")].type"))
        .extracting(JsonNode::asText)
        .containsExactly("Ready");
    assertThat(JsonPathLite.first(doc, ".spec.labels['kapro.io/stage']").asText())
        .isEqualTo("prod");
    assertThat(JsonPathLite.first(doc, "{.status.summary.targets}").asInt()).isEqualTo(3);
  }

  @Test
  void missingPathsSelectNothing() {
    assertThat(JsonPathLite.evaluate(doc, ".status.phase")).isEmpty();
    assertThat(JsonPathLite.evaluate(doc, ".spec.units[5].version")).isEmpty();
    assertThat(JsonPathLite.first(doc, ".status.conditions[?(@.type==\"Stalled\")].status"))
        .isNull();
  }

  @Test
  void unsupportedSyntaxIsAnError() {
    assertThatThrownBy(() -> JsonPathLite.evaluate(doc, ".spec.units[1:2]"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonPathLite.evaluate(doc, "spec"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void agesLookLikeKubectls() {
    assertThat(HumanDuration.format(Duration.ofSeconds(5))).isEqualTo("5s");
    assertThat(HumanDuration.format(Duration.ofSeconds(200))).isEqualTo("3m20s");
    assertThat(HumanDuration.format(Duration.ofMinutes(45))).isEqualTo("45m");
    assertThat(HumanDuration.format(Duration.ofMinutes(185))).isEqualTo("3h5m");
    assertThat(HumanDuration.format(Duration.ofHours(30))).isEqualTo("30h");
    assertThat(HumanDuration.format(Duration.ofHours(52))).isEqualTo("2d4h");
    assertThat(HumanDuration.format(Duration.ofDays(40))).isEqualTo("40d");
    assertThat(HumanDuration.format(Duration.ofDays(800))).isEqualTo("2y70d");
    assertThat(HumanDuration.format(Duration.ofSeconds(-10))).isEqualTo("<invalid>");
  }
}
