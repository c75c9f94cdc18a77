package io.kapro.hub.kube;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourceNamesTest {
  @ParameterizedTest
  @CsvSource({
    "run-1, prod, eu-1, run-1-prod-eu-1",
    "shop-1-4-0-0123456789, canary, canary-eu-1, shop-1-4-0-0123456789-canary-canary-eu-1"
  })
  void shortNamesStayReadable(String run, String stage, String cluster, String expected) {
    assertThat(io.kapro.api.Names.target(run, stage, cluster)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "a-very-long-promotion-name-for-the-shop, production-europe-west, cluster-frankfurt-0001"
  })
  void longNamesAreShortenedWithAHashAndStayDistinct(String run, String stage, String cluster) {
    String a = io.kapro.api.Names.target(run, stage, cluster);
    String b = io.kapro.api.Names.target(run, stage, cluster + "2");
    assertThat(a).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    assertThat(b).hasSizeLessThanOrEqualTo(63).isNotEqualTo(a);
    assertThat(io.kapro.api.Names.target(run, stage, cluster)).isEqualTo(a);
  }

  @ParameterizedTest
  @CsvSource({"shop-1-4-0", "x", "a-promotion-whose-name-is-exactly-sixty-three-characters-long-x"})
  void runNamesCarryTheSpecHash(String promotion) {
    String hash = ResourceNames.sha256(promotion);
    String name = ResourceNames.run(promotion, hash);
    assertThat(name).hasSizeLessThanOrEqualTo(63).endsWith("-" + hash.substring(0, 10));
  }
}
