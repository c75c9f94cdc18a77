package io.kapro.e2e.invariant;

import io.kapro.api.v1alpha2.TargetPhase;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a scenario recorded, for {@link InvariantChecker}: the Targets the hub holds, the phase each
 * should have ended in, every bundle each agent applied (in the order applied) and, per cluster,
 * the evidence the agent produced against what the hub recorded.
 *
 * @param targets every Target of the runs looked at
 * @param expected the terminal phase each cluster × stage of a run must end in
 * @param applies every apply, in the order the agents made them
 * @param deliveries per cluster: the agent's outbox against the hub's record
 */
public record History(
    List<TargetRecord> targets,
    List<Expected> expected,
    List<Applied> applies,
    List<Delivery> deliveries) {

  public History {
    targets = List.copyOf(targets);
    expected = List.copyOf(expected);
    applies = List.copyOf(applies);
    deliveries = List.copyOf(deliveries);
  }

  /**
   * One Target as the hub holds it.
   *
   * @param name the Target's name
   * @param run its PromotionRun
   * @param cluster the cluster
   * @param stage the stage
   * @param phase its phase (null when it has no status)
   * @param message its status message, if any
   */
  public record TargetRecord(
      String name, String run, String cluster, String stage, TargetPhase phase, String message) {}

  /** The phase the Target of {@code run}, {@code cluster} × {@code stage} must end in. */
  public record Expected(String run, String cluster, String stage, TargetPhase phase) {
    public Expected {
      Objects.requireNonNull(phase, "phase");
    }
  }

  /**
   * One bundle an agent applied to its cluster's objects.
   *
   * @param cluster the cluster (its name)
   * @param sequence the bundle's sequence as the agent applied it
   * @param digest the manifest digest
   * @param at when (the agent's clock)
   * @param signature what an independent check of the bundle's signature found
   */
  public record Applied(
      String cluster, long sequence, String digest, Instant at, Signature signature) {}

  /**
   * An independent verification of an applied bundle against the fleet's public key.
   *
   * @param valid whether the signature verified and the signed payload names this cluster and
   *     sequence
   * @param detail why not, or the key id when it did
   */
  public record Signature(boolean valid, String detail) {
    public static Signature valid(String keyId) {
      return new Signature(true, keyId);
    }

    public static Signature invalid(String why) {
      return new Signature(false, why);
    }
  }

  /**
   * Evidence of one cluster: what its agent produced and what the hub made durable.
   *
   * @param cluster the cluster
   * @param agentLastNumber the highest number the agent's outbox ever assigned
   * @param agentUnacked items still in the agent's outbox (the hub never acknowledged them)
   * @param hubLastNumber {@code Cluster.status.lastEvidenceNumber} on the hub
   */
  public record Delivery(
      String cluster, long agentLastNumber, int agentUnacked, long hubLastNumber) {}
}
