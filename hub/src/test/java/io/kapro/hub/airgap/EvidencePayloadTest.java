package io.kapro.hub.airgap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.BundleRejection;
import io.kapro.agent.v1.Evidence;
import io.kapro.agent.v1.Heartbeat;
import io.kapro.hub.link.LinkException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The payload of an evidence artifact, read from hostile bytes. */
class EvidencePayloadTest {
  static AgentMessage evidence(long n, String digest) {
    return AgentMessage.newBuilder()
        .setEvidence(
            Evidence.newBuilder().setNumber(n).setBundleSequence(1).setBundleDigest(digest))
        .build();
  }

  static AgentMessage rejection(long n) {
    return AgentMessage.newBuilder()
        .setRejection(BundleRejection.newBuilder().setNumber(n).setDetail("no"))
        .build();
  }

  static byte[] encode(AgentMessage... items) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (AgentMessage m : items) {
      m.writeDelimitedTo(out);
    }
    return out.toByteArray();
  }

  static final String D = "sha256:" + "a".repeat(64);

  @Test
  void readsNumberedItems() throws IOException {
    List<AgentMessage> items =
        EvidencePayload.parse(encode(evidence(3, D), rejection(4), evidence(7, "")), 7, "x");
    assertThat(items).hasSize(3);
  }

  @Test
  void refusesHostilePayloads() throws IOException {
    assertInvalid(new byte[0], 1, "must be numbered 1");
    assertInvalid(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}, 1, "");
    assertInvalid(new byte[] {5, 1, 2}, 1, "length-delimited");
    assertInvalid(encode(evidence(2, D), evidence(2, D)), 2, "out of order");
    assertInvalid(encode(evidence(3, D), evidence(2, D)), 3, "out of order");
    assertInvalid(encode(evidence(0, D)), 0, "out of order");
    assertInvalid(encode(evidence(5, D)), 4, "out of order");
    assertInvalid(encode(evidence(1, D)), 2, "must be numbered 2");
    assertInvalid(encode(evidence(1, "sha256:nothex")), 1, "names bundle digest");
    assertInvalid(
        encode(
            AgentMessage.newBuilder()
                .setHeartbeat(Heartbeat.newBuilder().setOutboxDepth(1))
                .build()),
        1,
        "is not evidence");
  }

  private static void assertInvalid(byte[] payload, long sequence, String message) {
    assertThatThrownBy(() -> EvidencePayload.parse(payload, sequence, "evidence x:seq-" + sequence))
        .isInstanceOf(LinkException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((LinkException) e).reason())
        .isEqualTo(LinkException.Reason.INVALID_MESSAGE);
  }
}
