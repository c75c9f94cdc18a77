package io.kapro.hub.engine;

import io.kapro.hub.engine.plan.SelectorBuilder;
import io.kapro.hub.engine.plan.StageBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small builders shared by the engine tests. */
final class Fixtures {
  private Fixtures() {}

  /** A stage selecting clusters labelled {@code ring=<name>}. */
  static StageBuilder ring(String name) {
    return StageBuilder.named(name, SelectorBuilder.matchLabels(Map.of("ring", name)));
  }

  /**
   * Clusters {@code <ring>-0000…}, labelled {@code ring=<ring>}, running app 1.0.0 (before: 0.9.0).
   */
  static List<ClusterState> fleet(Object... ringAndCount) {
    List<ClusterState> out = new ArrayList<>();
    for (int i = 0; i < ringAndCount.length; i += 2) {
      out.addAll(
          RunHarness.clusters("ring", (String) ringAndCount[i], (Integer) ringAndCount[i + 1]));
    }
    return out;
  }

  static long creates(EngineResult r) {
    return r.decisions().stream().filter(d -> d instanceof EngineDecision.CreateTarget).count();
  }

  static <T extends EngineDecision> List<T> of(EngineResult r, Class<T> type) {
    return r.decisions().stream().filter(type::isInstance).map(type::cast).toList();
  }
}
