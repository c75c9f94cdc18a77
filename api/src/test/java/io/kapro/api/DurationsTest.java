package io.kapro.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesGoDurations() {
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("24h")).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void rejectsWithAMessageThatShowsTheFix() {
    for (String bad : new String[] {"", "5", "5 m", "-5m", "1d", "m5"}) {
      assertThatThrownBy(() -> Durations.parse(bad))
          .isInstanceOfSatisfying(
              KaproApiException.class,
              e -> assertThat(e.reason()).isEqualTo(KaproApiException.Reason.INVALID_DURATION))
          .hasMessageContaining("e.g. 30s, 5m, 1h30m");
    }
  }

  @Test
  void formatsLikeGo() {
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m0s");
    assertThat(Durations.format(Duration.ofSeconds(5))).isEqualTo("5s");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
  }
}
