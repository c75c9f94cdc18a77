package io.kapro.agent.evidence;

import com.google.protobuf.Timestamp;
import io.kapro.agent.apply.ApplyException;
import io.kapro.agent.apply.Judgement;
import io.kapro.agent.apply.ObservedCondition;
import io.kapro.agent.drift.FieldDrift;
import io.kapro.agent.drift.UnitDrift;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.BundleRejection;
import io.kapro.agent.v1.Evidence;
import io.kapro.agent.v1.UnitEvidence;
import io.kapro.oci.bundle.BundleUnit;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** Builds the wire messages the outbox stores from the applier's and the judges' results. */
public final class Evidences {
  private Evidences() {}

  /** One unit's evidence. */
  public static UnitEvidence unit(BundleUnit unit, Judgement j, Instant observedAt) {
    return unit(unit, j, UnitDrift.NONE, observedAt);
  }

  /** One unit's evidence with what the drift check found. */
  public static UnitEvidence unit(
      BundleUnit unit, Judgement j, UnitDrift drift, Instant observedAt) {
    UnitEvidence.Builder b =
        UnitEvidence.newBuilder()
            .setUnit(unit.name())
            .setPhase(j.phase().toProto())
            .setObservedRevision(j.observedRevision())
            .setDesiredVersion(unit.version())
            .setMessage(j.message())
            .setObservedAt(timestamp(observedAt));
    int at = j.observedRevision().indexOf("sha256:");
    if (at >= 0) {
      b.setObservedDigest(j.observedRevision().substring(at));
    }
    for (ObservedCondition c : j.conditions()) {
      var cb =
          io.kapro.agent.v1.ObservedCondition.newBuilder()
              .setType(c.type())
              .setStatus(c.status())
              .setReason(c.reason())
              .setMessage(c.message());
      try {
        if (!c.lastTransitionTime().isEmpty()) {
          cb.setLastTransitionTime(timestamp(Instant.parse(c.lastTransitionTime())));
        }
      } catch (DateTimeParseException e) {
        // leave it unset: the controller wrote something that is not RFC 3339
      }
      b.addConditions(cb);
    }
    for (FieldDrift f : drift.fields()) {
      b.addDrift(
          io.kapro.agent.v1.FieldDrift.newBuilder()
              .setPath(f.path())
              .setDesired(f.desired())
              .setObserved(ObservedCondition.truncate(f.observed())));
    }
    b.setReapplied(drift.reapplied());
    b.setOwnerConflict(ObservedCondition.truncate(drift.ownerConflict()));
    return b.build();
  }

  /** An unnumbered evidence message for a bundle, units in bundle order. */
  public static AgentMessage evidence(
      long sequence,
      String digest,
      Iterable<BundleUnit> units,
      Map<String, Judgement> judgements,
      boolean resync,
      Instant now) {
    return evidence(sequence, digest, units, judgements, Map.of(), resync, now);
  }

  /** An unnumbered evidence message for a bundle with each unit's drift, units in bundle order. */
  public static AgentMessage evidence(
      long sequence,
      String digest,
      Iterable<BundleUnit> units,
      Map<String, Judgement> judgements,
      Map<String, UnitDrift> drift,
      boolean resync,
      Instant now) {
    Evidence.Builder e =
        Evidence.newBuilder()
            .setBundleSequence(sequence)
            .setBundleDigest(digest)
            .setResync(resync)
            .setRecordedAt(timestamp(now));
    for (BundleUnit u : units) {
      Judgement j = judgements.get(u.name());
      if (j != null) {
        e.addUnits(unit(u, j, drift.getOrDefault(u.name(), UnitDrift.NONE), now));
      }
    }
    return AgentMessage.newBuilder().setEvidence(e).build();
  }

  /** An unnumbered rejection for a bundle the applier refused. */
  public static AgentMessage rejection(
      long sequence, String digest, ApplyException e, Instant now) {
    return AgentMessage.newBuilder()
        .setRejection(
            BundleRejection.newBuilder()
                .setBundleSequence(sequence)
                .setBundleDigest(digest)
                .setReason(e.reason().rejectionReason())
                .setDetail(ObservedCondition.truncate(e.getMessage()))
                .setRejectedAt(timestamp(now)))
        .build();
  }

  static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }
}
