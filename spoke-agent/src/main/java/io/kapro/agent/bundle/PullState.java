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

  public PullState(HighWaterMark mark, Optional<AppliedBundle> applied, Clock clock) {
    this.clock = clock;
    this.mark = mark;
    this.applied =
        applied
            .filter(a -> a.sequence() == mark.sequence() && a.digest().equals(mark.digest()))
            .orElse(null);
  }

  public synchronized HighWaterMark mark() {
    return mark;
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
