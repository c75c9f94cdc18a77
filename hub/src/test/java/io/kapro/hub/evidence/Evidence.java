package io.kapro.hub.evidence;

import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.BundleRejection;
import io.kapro.agent.v1.RejectionReason;
import io.kapro.agent.v1.UnitEvidence;
import io.kapro.agent.v1.UnitPhase;
import java.util.Map;

/** Builds agent messages for the link tests. */
final class Evidence {
  private Evidence() {}

  static AgentMessage of(
      long number, long sequence, String digest, UnitPhase phase, Map<String, String> versions) {
    var e =
        io.kapro.agent.v1.Evidence.newBuilder()
            .setNumber(number)
            .setBundleSequence(sequence)
            .setBundleDigest(digest);
    versions.forEach(
        (unit, version) ->
            e.addUnits(
                UnitEvidence.newBuilder()
                    .setUnit(unit)
                    .setPhase(phase)
                    .setDesiredVersion(version)
                    .setObservedRevision(version + "@sha256:" + "e".repeat(64))));
    return AgentMessage.newBuilder().setEvidence(e).build();
  }

  static AgentMessage rejection(long number, long sequence, String digest, RejectionReason reason) {
    return AgentMessage.newBuilder()
        .setRejection(
            BundleRejection.newBuilder()
                .setNumber(number)
                .setBundleSequence(sequence)
                .setBundleDigest(digest)
                .setReason(reason)
                .setDetail("no trusted key verifies the signature"))
        .build();
  }
}
