package io.kapro.agent.bundle;

import com.google.protobuf.Timestamp;
import io.kapro.agent.apply.ObservedCondition;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.BundleRejection;
import io.kapro.agent.v1.RejectionReason;
import io.kapro.oci.OciException;
import java.time.Instant;

/** Maps the verifier's reasons onto the wire and builds rejection messages. */
public final class Rejections {
  private Rejections() {}

  /** The wire reason for a verifier rejection (names match one to one). */
  public static RejectionReason reason(OciException.Reason reason) {
    try {
      return RejectionReason.valueOf("REJECTION_REASON_" + reason.name());
    } catch (IllegalArgumentException e) {
      return RejectionReason.REJECTION_REASON_UNSPECIFIED;
    }
  }

  /** An unnumbered rejection message. */
  public static AgentMessage message(
      long sequence, String digest, RejectionReason reason, String detail, Instant at) {
    return AgentMessage.newBuilder()
        .setRejection(
            BundleRejection.newBuilder()
                .setBundleSequence(sequence)
                .setBundleDigest(digest)
                .setReason(reason)
                .setDetail(ObservedCondition.truncate(detail == null ? "" : detail))
                .setRejectedAt(
                    Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano())))
        .build();
  }
}
