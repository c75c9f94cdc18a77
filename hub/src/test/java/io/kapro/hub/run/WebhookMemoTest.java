package io.kapro.hub.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.hub.gate.WebhookObservation;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WebhookMemoTest {
  @Test
  void aWaveGateIsAskedOnceAndItsAnswerReusedOtherKeysAskAgain() {
    WebhookAnswers.Memo memo = new WebhookAnswers.Memo();
    AtomicInteger asked = new AtomicInteger();
    WebhookObservation pass = new WebhookObservation("prod", 1, "slo", true, "ok", Instant.EPOCH);
    WebhookObservation first =
        memo.answer(
            "ns/run/prod/1/slo",
            () -> {
              asked.incrementAndGet();
              return pass;
            });
    WebhookObservation again =
        memo.answer(
            "ns/run/prod/1/slo",
            () -> {
              asked.incrementAndGet();
              return new WebhookObservation("prod", 1, "slo", false, "no", Instant.EPOCH);
            });
    assertThat(first).isSameAs(pass);
    assertThat(again).isSameAs(pass);
    assertThat(asked).hasValue(1);

    memo.answer(
        "ns/run/prod/2/slo",
        () -> {
          asked.incrementAndGet();
          return pass;
        });
    assertThat(asked).hasValue(2);
  }
}
