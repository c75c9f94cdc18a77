package io.kapro.hub.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kapro.hub.webhook.PrometheusClient.Answer;
import java.util.Arrays;

/**
 * Fuzzes how the metrics gate reads a Prometheus server's answer ({@link PrometheusClient#judge}):
 * the server is a peer we do not control. The seed corpus under {@code
 * PrometheusAnswerFuzzTestInputs/judge/} holds answers shaped like the examples of the Prometheus
 * HTTP API documentation (prometheus.io/docs/prometheus/latest/querying/api/: an instant vector, a
 * scalar, an error answer) plus hostile ones.
 *
 * <p>Input: two bytes of HTTP status (100..699), then the body. Invariants: never an exception;
 * either samples (at most {@value PrometheusClient#MAX_SERIES} series, each named in at most 200
 * characters) or a failure whose message is one printable line naming what to fix.
 */
class PrometheusAnswerFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void judge(byte[] data) {
    if (data.length < 2) {
      return;
    }
    int status = 100 + ((((data[0] & 0xff) << 8) | (data[1] & 0xff)) % 600);
    byte[] body = Arrays.copyOfRange(data, 2, data.length);
    Answer answer = PrometheusClient.judge(status, body);
    switch (answer) {
      case Answer.Samples s -> {
        assertThat(status).isBetween(200, 299);
        assertThat(s.samples()).hasSizeLessThanOrEqualTo(PrometheusClient.MAX_SERIES);
        s.samples().forEach(x -> assertThat(x.series()).hasSizeLessThanOrEqualTo(201));
      }
      case Answer.Failure f -> {
        assertThat(f.message()).isNotBlank().doesNotContain("\n", "\r");
        assertThat(f.message()).hasSizeLessThanOrEqualTo(1000);
      }
    }
  }
}
