package io.kapro.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.ConditionStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsAndNamesTest {
  private static final Instant T1 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T2 = Instant.parse("2026-01-01T01:00:00Z");

  @Test
  void transitionTimeMovesOnlyWhenTheStatusChanges() {
    List<Condition> c1 =
        Conditions.set(
            null, Conditions.of("Ready", ConditionStatus.False, "InvalidSpec", "bad", 1L), T1);
    List<Condition> c2 =
        Conditions.set(
            c1, Conditions.of("Ready", ConditionStatus.False, "InvalidSpec", "still bad", 2L), T2);
    assertThat(c2)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getLastTransitionTime()).isEqualTo(T1.toString());
              assertThat(c.getMessage()).isEqualTo("still bad");
              assertThat(c.getObservedGeneration()).isEqualTo(2L);
            });
    List<Condition> c3 =
        Conditions.set(c2, Conditions.of("Ready", ConditionStatus.True, "Reconciled", "", 3L), T2);
    assertThat(c3.get(0).getLastTransitionTime()).isEqualTo(T2.toString());
    assertThat(Conditions.isTrue(c3, "Ready")).isTrue();
    assertThat(Conditions.isTrue(c3, "Connected")).isFalse();
    List<Condition> c4 =
        Conditions.set(
            c3, Conditions.of("Connected", ConditionStatus.Unknown, "HeartbeatMissed", "", 3L), T2);
    assertThat(c4).extracting(Condition::getType).containsExactly("Ready", "Connected");
    assertThat(Conditions.set(c4, c4.get(0), T2)).isEqualTo(c4);
    assertThat(c3).hasSize(1);
  }

  @Test
  void longNamesAreShortenedStably() {
    assertThat(Names.target("run1", "prod", "eu-1")).isEqualTo("run1-prod-eu-1");
    String longName =
        Names.target("shop-1-4-0-7f3a2", "production-europe", "cluster-with-a-very-long-name-01");
    assertThat(longName).hasSize(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    assertThat(
            Names.target(
                "shop-1-4-0-7f3a2", "production-europe", "cluster-with-a-very-long-name-01"))
        .isEqualTo(longName);
    assertThat(
            Names.target(
                "shop-1-4-0-7f3a2", "production-europe", "cluster-with-a-very-long-name-02"))
        .isNotEqualTo(longName);
  }
}
