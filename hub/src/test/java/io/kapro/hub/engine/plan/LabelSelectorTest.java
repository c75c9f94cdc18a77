package io.kapro.hub.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LabelSelectorTest {
  static final Map<String, String> PROD_EU = Map.of("env", "prod", "region", "eu", "tier", "gold");

  static Stream<Arguments> cases() {
    SelectorBuilder none = SelectorBuilder.everything();
    return Stream.of(
        Arguments.of("empty selects all", none, Map.of(), true),
        Arguments.of(
            "matchLabels equal", SelectorBuilder.matchLabels(Map.of("env", "prod")), PROD_EU, true),
        Arguments.of(
            "matchLabels differ",
            SelectorBuilder.matchLabels(Map.of("env", "dev")),
            PROD_EU,
            false),
        Arguments.of(
            "matchLabels missing",
            SelectorBuilder.matchLabels(Map.of("zone", "a")),
            PROD_EU,
            false),
        Arguments.of(
            "In hit", none.and(RequirementBuilder.in("region", "us", "eu")), PROD_EU, true),
        Arguments.of("In miss", none.and(RequirementBuilder.in("region", "us")), PROD_EU, false),
        Arguments.of("In absent key", none.and(RequirementBuilder.in("zone", "a")), PROD_EU, false),
        Arguments.of(
            "NotIn hit", none.and(RequirementBuilder.notIn("region", "eu")), PROD_EU, false),
        Arguments.of(
            "NotIn miss", none.and(RequirementBuilder.notIn("region", "us")), PROD_EU, true),
        Arguments.of(
            "NotIn absent key", none.and(RequirementBuilder.notIn("zone", "a")), PROD_EU, true),
        Arguments.of("Exists", none.and(RequirementBuilder.exists("tier")), PROD_EU, true),
        Arguments.of("Exists absent", none.and(RequirementBuilder.exists("zone")), PROD_EU, false),
        Arguments.of(
            "DoesNotExist", none.and(RequirementBuilder.doesNotExist("zone")), PROD_EU, true),
        Arguments.of(
            "DoesNotExist present",
            none.and(RequirementBuilder.doesNotExist("tier")),
            PROD_EU,
            false),
        Arguments.of(
            "all must hold",
            SelectorBuilder.matchLabels(Map.of("env", "prod"))
                .and(RequirementBuilder.in("region", "eu"))
                .and(RequirementBuilder.doesNotExist("tier")),
            PROD_EU,
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matches(
      String title, SelectorBuilder selector, Map<String, String> labels, boolean expected) {
    assertThat(selector.toApi().matches(labels)).isEqualTo(expected);
  }
}
