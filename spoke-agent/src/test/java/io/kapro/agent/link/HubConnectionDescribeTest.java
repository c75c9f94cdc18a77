package io.kapro.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.io.EOFException;
import org.junit.jupiter.api.Test;

/** The log text of a stream's end: never a bare "null" (OkHttp ends a drop without a reason). */
class HubConnectionDescribeTest {
  @Test
  void aStreamEndIsDescribedByItsDescriptionItsCauseOrInWords() {
    assertThat(HubConnection.describe(Status.UNAVAILABLE.withDescription("hub going away")))
        .isEqualTo("UNAVAILABLE hub going away");
    assertThat(HubConnection.describe(Status.UNAVAILABLE.withCause(new EOFException("eof"))))
        .isEqualTo("UNAVAILABLE java.io.EOFException: eof");
    assertThat(HubConnection.describe(Status.UNAVAILABLE))
        .isEqualTo("UNAVAILABLE (no reason given: the connection was closed or dropped)")
        .doesNotContain("null");
  }
}
