package io.kapro.agent.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * What {@code /healthz} reports: named watchdogs, each answering empty while its part works and a
 * reason when it does not. A watchdog that itself throws counts as failing.
 */
public final class Liveness {
  /** Watchdog name for the bundle pull loop. */
  public static final String PULL_LOOP = "pull-loop";

  private final Map<String, Supplier<Optional<String>>> watchdogs = new ConcurrentSkipListMap<>();

  /** Adds or replaces a watchdog. */
  public void watch(String name, Supplier<Optional<String>> problem) {
    watchdogs.put(name, problem);
  }

  /** "name: reason" for every failing watchdog, sorted by name; empty when alive. */
  public List<String> failing() {
    List<String> out = new ArrayList<>();
    watchdogs.forEach(
        (name, check) -> {
          try {
            check.get().ifPresent(reason -> out.add(name + ": " + reason));
          } catch (RuntimeException e) {
            out.add(name + ": watchdog failed: " + e);
          }
        });
    return out;
  }
}
