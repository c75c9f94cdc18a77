package io.kapro.hub.cluster;

import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.Enrollment;
import java.time.Duration;
import java.time.Instant;

/** Pure: a Cluster's Connected condition from its enrollment and last heartbeat. */
public final class ClusterHealth {
  /** The condition to set and, while connected, when it would lapse. */
  public record Connected(
      ConditionStatus status, String reason, String message, Instant lapsesAt) {}

  private ClusterHealth() {}

  /**
   * An AirGapped cluster has no link to lose: {@code Connected=False, reason=AirGapped}, whatever
   * its heartbeats (it never turns Unknown for missing ones).
   */
  public static Connected airGapped() {
    return new Connected(
        ConditionStatus.False,
        Kapro.Reasons.AIR_GAPPED,
        "no link is expected (spec.connectivity: AirGapped): bundles travel by kapro mirror,"
            + " evidence returns by kapro evidence import",
        null);
  }

  public static Connected of(
      Enrollment enrollment, Instant lastSeen, Instant now, Duration window) {
    return of(enrollment, lastSeen, null, now, window);
  }

  /**
   * As {@link #of(Enrollment, Instant, Instant, Duration)}, with the cluster's Lease: while a
   * replica holds it unexpired ({@code leaseValidUntil}), the cluster stays alive although {@code
   * lastSeen} is refreshed only coarsely. Pass a Lease only to keep a True condition alive: a lost
   * link comes back with the gateway's fresh {@code lastSeen}, never from a Lease alone (its
   * release may still be on its way).
   *
   * @param leaseValidUntil renew time plus duration of a held Lease, or null
   */
  public static Connected of(
      Enrollment enrollment,
      Instant lastSeen,
      Instant leaseValidUntil,
      Instant now,
      Duration window) {
    if (enrollment == Enrollment.Revoked) {
      return new Connected(
          ConditionStatus.False,
          Kapro.Reasons.CERTIFICATE_REVOKED,
          "the agent's certificate was revoked",
          null);
    }
    if (lastSeen == null) {
      return new Connected(
          ConditionStatus.Unknown,
          Kapro.Reasons.NEVER_CONNECTED,
          "the agent has never connected",
          null);
    }
    Instant lapses = lastSeen.plus(window);
    if (leaseValidUntil != null && leaseValidUntil.isAfter(lapses)) {
      lapses = leaseValidUntil;
    }
    if (!now.isBefore(lapses)) {
      return new Connected(
          ConditionStatus.Unknown,
          Kapro.Reasons.HEARTBEAT_MISSED,
          "no heartbeat since " + lastSeen + " (window " + window + ")",
          null);
    }
    return new Connected(
        ConditionStatus.True, Kapro.Reasons.AGENT_CONNECTED, "last heartbeat " + lastSeen, lapses);
  }
}
