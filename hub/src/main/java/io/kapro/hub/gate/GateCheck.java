package io.kapro.hub.gate;

import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.GateWhen;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * A plan gate, validated and parsed, ready to evaluate: built by {@code PlanCompiler} from the
 * Plan's {@code io.kapro.api.v1alpha2.Gate}, one record per gate type.
 */
public sealed interface GateCheck {
  String name();

  GateWhen when();

  GateType type();

  /** Whether this gate holds the given wave (1-based) of its stage. */
  default boolean appliesToWave(int wave) {
    return when() == GateWhen.BeforeEachWave || wave == 1;
  }

  /** Passes once an Approval approves the run, the stage or the Target; a rejection fails it. */
  record ApprovalCheck(String name, GateWhen when) implements GateCheck {
    @Override
    public GateType type() {
      return GateType.Approval;
    }
  }

  /** Passes once {@code duration} has gone by since the previous step converged. */
  record SoakCheck(String name, GateWhen when, Duration duration) implements GateCheck {
    @Override
    public GateType type() {
      return GateType.Soak;
    }
  }

  /** Passes while the previous wave's (or the upstream stages') Targets are all Converged. */
  record HealthCheck(String name, GateWhen when) implements GateCheck {
    @Override
    public GateType type() {
      return GateType.Health;
    }
  }

  /** Passes inside an allow window (or anywhere if none) and outside every deny window. */
  record TimeWindowCheck(
      String name, GateWhen when, ZoneId zone, List<Window> allow, List<Window> deny)
      implements GateCheck {
    public TimeWindowCheck {
      allow = List.copyOf(allow);
      deny = List.copyOf(deny);
    }

    @Override
    public GateType type() {
      return GateType.TimeWindow;
    }
  }

  /** Passes when the webhook answered 2xx with {@code {"pass": true}}. */
  record WebhookCheck(
      String name, GateWhen when, String url, Duration timeout, Map<String, String> headers)
      implements GateCheck {
    /** The timeout when the plan names none. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public WebhookCheck {
      headers = Map.copyOf(headers);
    }

    @Override
    public GateType type() {
      return GateType.Webhook;
    }
  }

  /**
   * Passes once the query has held {@code consecutiveSuccesses} measurements in a row; fails when
   * more than {@code failureLimit} measurements failed. Measured per Target, every {@code
   * interval}.
   */
  record MetricsCheck(
      String name,
      GateWhen when,
      String address,
      String query,
      Threshold condition,
      Duration interval,
      int consecutiveSuccesses,
      int failureLimit,
      Duration timeout,
      String secretName)
      implements GateCheck {
    /** The defaults when the plan names none. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_CONSECUTIVE_SUCCESSES = 3;

    @Override
    public GateType type() {
      return GateType.Metrics;
    }
  }
}
