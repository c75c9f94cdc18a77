package io.kapro.hub.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventSettingsTest {
  @Test
  void backoffDoublesFromTheFirstDelayUpToTheMaximum() {
    EventSettings s = EventSettings.defaults();
    assertThat(s.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.backoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.backoff(5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(s.backoff(9)).isEqualTo(Duration.ofMinutes(4).plusSeconds(16));
    assertThat(s.backoff(10)).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.backoff(1000)).isEqualTo(Duration.ofMinutes(5));
  }
}
