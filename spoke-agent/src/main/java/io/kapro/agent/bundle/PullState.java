package io.kapro.agent.bundle;

import io.kapro.agent.apply.Judgement;
import io.kapro.agent.drift.UnitDrift;
import io.kapro.agent.evidence.Evidences;
import io.kapro.agent.link.AgentStateSource;
import io.kapro.agent.v1.AgentMessage;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the pull loop knows: the high-water mark, the applied bundle and the latest judgement of its
 * units. It is the hub link's {@link AgentStateSource}: the hello carries the mark, the resync the
 * latest evidence.
 */
public final class PullState implements AgentStateSource {
  private final Clock clock;
  private HighWaterMark mark;
  private AppliedBundle applied;
  private Map<String, Judgement> judgements = Map.of();
  private Map<String, UnitDrift> drift = Map.of();
  private String unreadable;
  private long floor;
  private boolean floorKnown = true;

  public PullState(HighWaterMark mark, Optional<AppliedBundle> applied, Clock clock) {
    this.clock = clock;
    this.mark = mark;
    this.applied =
        applied
            .filter(a -> a.sequence() == mark.sequence() && a.digest().equals(mark.digest()))
            .orElse(null);
  }

  /** A state whose high-water mark could not be read: nothing is applied until it can. */
  public static PullState unreadable(String why, Clock clock) {
    PullState s = new PullState(HighWaterMark.NONE, Optional.empty(), clock);
    s.unreadable = why;
    return s;
  }

  public synchronized HighWaterMark mark() {
    return mark;
  }

  /** Why the persisted mark cannot be read, empty when it was read. */
  public synchronized Optional<String> unreadable() {
    return Optional.ofNullable(unreadable);
  }

  /** The persisted mark could be read after all (it is never lowered). */
  synchronized void readable(HighWaterMark loaded) {
    unreadable = null;
    if (loaded.sequence() > mark.sequence()) {
      mark = loaded;
    }
  }

  /**
   * Raises the floor: the lowest sequence this agent may still apply, as a verified bundle signed
   * it ({@code minSequence}). Never lowered.
   */
  synchronized void raiseFloor(long min) {
    floor = Math.max(floor, min);
  }

  /**
   * The hub answered the hello with its floor ({@code Settings.min_bundle_sequence}): raises the
   * floor and marks it known.
   *
   * @return whether the floor was not known before
   */
  synchronized boolean hubFloor(long min) {
    raiseFloor(min);
    boolean was = floorKnown;
    floorKnown = true;
    return !was;
  }

  /** The floor, 0 when none. */
  public synchronized long floor() {
    return floor;
  }

  /**
   * Applies nothing until the hub answered the hello with the floor ({@link #raiseFloor}): for an
   * agent that starts without any persisted mark and talks to a hub.
   */
  public synchronized void awaitFloor() {
    floorKnown = false;
  }

  /** Whether the floor is known (see {@link #awaitFloor}). */
  public synchronized boolean floorKnown() {
    return floorKnown;
  }

  /**
   * The sequence a new bundle must be above: the mark, or just below the floor when that is higher
   * (the bundle at the floor itself is the one the cluster last applied, and may be applied again).
   */
  public synchronized long verifyAbove() {
    return Math.max(mark.sequence(), floor - 1);
  }

  public synchronized Optional<AppliedBundle> applied() {
    return Optional.ofNullable(applied);
  }

  /** The latest judgement per unit of the applied bundle (empty before the first). */
  public synchronized Map<String, Judgement> judgements() {
    return judgements;
  }

  synchronized void applied(AppliedBundle bundle, Map<String, Judgement> initial) {
    this.applied = bundle;
    this.mark = bundle.mark();
    this.judgements = Map.copyOf(initial);
    this.drift = Map.of();
  }

  synchronized void judged(Map<String, Judgement> latest) {
    this.judgements = Map.copyOf(new LinkedHashMap<>(latest));
  }

  /** The latest drift per unit, re-sent with the resync. */
  synchronized void drifted(Map<String, UnitDrift> latest) {
    this.drift = Map.copyOf(latest);
  }

  @Override
  public synchronized long lastAppliedSequence() {
    return mark.sequence();
  }

  @Override
  public synchronized String lastAppliedDigest() {
    return mark.digest();
  }

  @Override
  public synchronized List<AgentMessage> currentState() {
    if (applied == null || judgements.isEmpty()) {
      return List.of();
    }
    return List.of(
        Evidences.evidence(
            applied.sequence(),
            applied.digest(),
            applied.units(),
            judgements,
            drift,
            true,
            clock.instant()));
  }
}
