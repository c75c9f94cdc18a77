package io.kapro.hub.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LabelSelectorTest {
  static final Map<String, String> PROD_EU = Map.of("env", "prod", "region", "eu", "tier", "gold");

  static Stream<Arguments> cases() {
    LabelSelector none = LabelSelector.everything();
    return Stream.of(
        Arguments.of("empty selects all", none, Map.of(), true),
        Arguments.of(
            "matchLabels equal", LabelSelector.matchLabels(Map.of("env", "prod")), PROD_EU, true),
        Arguments.of(
            "matchLabels differ", LabelSelector.matchLabels(Map.of("env", "dev")), PROD_EU, false),
        Arguments.of(
            "matchLabels missing", LabelSelector.matchLabels(Map.of("zone", "a")), PROD_EU, false),
        Arguments.of(
            "In hit", none.and(SelectorRequirement.in("region", "us", "eu")), PROD_EU, true),
        Arguments.of("In miss", none.and(SelectorRequirement.in("region", "us")), PROD_EU, false),
        Arguments.of(
            "In absent key", none.and(SelectorRequirement.in("zone", "a")), PROD_EU, false),
        Arguments.of(
            "NotIn hit", none.and(SelectorRequirement.notIn("region", "eu")), PROD_EU, false),
        Arguments.of(
            "NotIn miss", none.and(SelectorRequirement.notIn("region", "us")), PROD_EU, true),
        Arguments.of(
            "NotIn absent key", none.and(SelectorRequirement.notIn("zone", "a")), PROD_EU, true),
        Arguments.of("Exists", none.and(SelectorRequirement.exists("tier")), PROD_EU, true),
        Arguments.of("Exists absent", none.and(SelectorRequirement.exists("zone")), PROD_EU, false),
        Arguments.of(
            "DoesNotExist", none.and(SelectorRequirement.doesNotExist("zone")), PROD_EU, true),
        Arguments.of(
            "DoesNotExist present",
            none.and(SelectorRequirement.doesNotExist("tier")),
            PROD_EU,
            false),
        Arguments.of(
            "all must hold",
            LabelSelector.matchLabels(Map.of("env", "prod"))
                .and(SelectorRequirement.in("region", "eu"))
                .and(SelectorRequirement.doesNotExist("tier")),
            PROD_EU,
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matches(String title, LabelSelector selector, Map<String, String> labels, boolean expected) {
    assertThat(selector.matches(labels)).isEqualTo(expected);
  }
}
