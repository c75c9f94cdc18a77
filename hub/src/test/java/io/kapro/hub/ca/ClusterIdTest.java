package io.kapro.hub.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.hub.link.LinkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterIdTest {

  @Test
  void roundTripsThroughItsUri() {
    ClusterId id = new ClusterId("team-a", "prod-eu-1");
    assertThat(id.uri()).isEqualTo("spiffe://kapro/ns/team-a/cluster/prod-eu-1");
    assertThat(ClusterId.parse(id.uri())).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "spiffe://kapro/ns/team-a/cluster/",
        "spiffe://kapro/ns//cluster/x",
        "spiffe://other/ns/team-a/cluster/x",
        "spiffe://kapro/ns/team-a/cluster/x/extra",
        "spiffe://kapro/ns/team-a/clusters/x",
        "spiffe://kapro/ns/Team-A/cluster/x",
        "spiffe://kapro/ns/team-a/cluster/x?y=1",
        "spiffe://kapro/ns/team-a/cluster/x#f",
        "spiffe://kapro/ns/team%2Fa/cluster/x",
        "spiffe://kapro/ns/../cluster/x",
        "SPIFFE://kapro/ns/a/cluster/x",
        "https://kapro/ns/a/cluster/x"
      })
  void refusesAnythingButTheExactShape(String uri) {
    assertThatThrownBy(() -> ClusterId.parse(uri))
        .isInstanceOf(LinkException.class)
        .satisfies(
            e ->
                assertThat(((LinkException) e).reason())
                    .isEqualTo(LinkException.Reason.BAD_IDENTITY));
  }

  @Test
  void refusesNull() {
    assertThatThrownBy(() -> ClusterId.parse(null)).isInstanceOf(LinkException.class);
  }

  @Test
  void namespaceLongerThanALabelIsRefused() {
    assertThatThrownBy(() -> new ClusterId("a".repeat(64), "x"))
        .isInstanceOf(LinkException.class)
        .hasMessageContaining("namespace");
  }
}
