package io.kapro.agent.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * What {@code /readyz} reports. The agent is ready once its configuration is loaded and its bundle
 * source was reachable at least once; other parts may add checks of their own with {@link #set}.
 */
public final class Readiness {
  /** Check name for the loaded configuration. */
  public static final String CONFIG_LOADED = "config-loaded";

  /** Check name for the bundle source having answered at least once. */
  public static final String SOURCE_REACHED = "bundle-source-reached";

  private final Map<String, Boolean> checks = new ConcurrentSkipListMap<>();

  public Readiness() {
    checks.put(CONFIG_LOADED, false);
    checks.put(SOURCE_REACHED, false);
  }

  public void configLoaded() {
    checks.put(CONFIG_LOADED, true);
  }

  /** Called after the first successful contact with the registry or layout; stays true. */
  public void sourceReached() {
    checks.put(SOURCE_REACHED, true);
  }

  /** Sets any named check. */
  public void set(String check, boolean ok) {
    checks.put(check, ok);
  }

  public boolean ready() {
    return !checks.containsValue(false);
  }

  /** Checks not yet passed, sorted. */
  public List<String> failing() {
    List<String> out = new ArrayList<>();
    checks.forEach(
        (k, v) -> {
          if (!v) {
            out.add(k);
          }
        });
    return out;
  }
}
