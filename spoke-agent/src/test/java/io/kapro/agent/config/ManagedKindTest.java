package io.kapro.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.testing.ApiKind;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The kinds the agent manages are the kinds the test fixtures serve (kapro-testing's ApiKind,
 * registered by MockKube and LocalKubeApi): the same group, kind and plural, both ways.
 */
class ManagedKindTest {
  @Test
  void everyManagedKindIsServedByTheTestApiServersAndBack() {
    for (ManagedKind k : ManagedKind.values()) {
      assertThat(ApiKind.FLUX_AND_ARGO)
          .as(k.name())
          .anySatisfy(
              a -> {
                assertThat(a.group()).isEqualTo(k.group());
                assertThat(a.kind()).isEqualTo(k.kind());
                assertThat(a.plural()).isEqualTo(k.plural());
              });
    }
    for (ApiKind a : ApiKind.FLUX_AND_ARGO) {
      assertThat(Arrays.stream(ManagedKind.values()))
          .as(a.kind())
          .anyMatch(k -> k.kind().equals(a.kind()) && k.group().equals(a.group()));
    }
  }
}
