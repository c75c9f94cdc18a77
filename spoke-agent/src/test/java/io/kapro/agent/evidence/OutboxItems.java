package io.kapro.agent.evidence;

import com.google.protobuf.Timestamp;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.BundleRejection;
import io.kapro.agent.v1.Evidence;
import io.kapro.agent.v1.RejectionReason;
import io.kapro.agent.v1.UnitEvidence;
import io.kapro.agent.v1.UnitPhase;

/** Realistic unnumbered outbox items for tests. */
final class OutboxItems {
  private OutboxItems() {}

  static AgentMessage evidence(long sequence) {
    return AgentMessage.newBuilder()
        .setEvidence(
            Evidence.newBuilder()
                .setBundleSequence(sequence)
                .setBundleDigest("sha256:" + "ab".repeat(32))
                .setRecordedAt(Timestamp.newBuilder().setSeconds(1_790_000_000L + sequence))
                .addUnits(
                    UnitEvidence.newBuilder()
                        .setUnit("podinfo")
                        .setPhase(UnitPhase.UNIT_PHASE_CONVERGED)
                        .setDesiredVersion("6.5." + sequence)
                        .setObservedRevision("6.5." + sequence)))
        .build();
  }

  static AgentMessage rejection(long sequence) {
    return AgentMessage.newBuilder()
        .setRejection(
            BundleRejection.newBuilder()
                .setBundleSequence(sequence)
                .setReason(RejectionReason.REJECTION_REASON_NOT_ALLOWED)
                .setDetail("HelmRelease/apps/web field spec.values is not allowed"))
        .build();
  }

  static long number(AgentMessage m) {
    return m.hasEvidence() ? m.getEvidence().getNumber() : m.getRejection().getNumber();
  }

  static long sequence(AgentMessage m) {
    return m.hasEvidence()
        ? m.getEvidence().getBundleSequence()
        : m.getRejection().getBundleSequence();
  }
}
