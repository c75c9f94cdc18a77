package io.kapro.hub.gate;

import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.GateWhen;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** A validated gate, ready to evaluate. Built by the plan validator from a raw gate spec. */
public sealed interface Gate {
  String name();

  GateWhen when();

  GateType type();

  /** Whether this gate holds the given wave (1-based) of its stage. */
  default boolean appliesToWave(int wave) {
    return when() == GateWhen.BeforeEachWave || wave == 1;
  }

  /** Passes once an Approval approves the run, the stage or the Target; a rejection fails it. */
  record ApprovalGate(String name, GateWhen when) implements Gate {
    @Override
    public GateType type() {
      return GateType.Approval;
    }
  }

  /** Passes once {@code duration} has gone by since the previous step converged. */
  record SoakGate(String name, GateWhen when, Duration duration) implements Gate {
    @Override
    public GateType type() {
      return GateType.Soak;
    }
  }

  /** Passes while the previous wave's (or the upstream stages') Targets are all Converged. */
  record HealthGate(String name, GateWhen when) implements Gate {
    @Override
    public GateType type() {
      return GateType.Health;
    }
  }

  /** Passes inside an allow window (or anywhere if none) and outside every deny window. */
  record TimeWindowGate(
      String name, GateWhen when, ZoneId zone, List<Window> allow, List<Window> deny)
      implements Gate {
    public TimeWindowGate {
      allow = List.copyOf(allow);
      deny = List.copyOf(deny);
    }

    @Override
    public GateType type() {
      return GateType.TimeWindow;
    }
  }

  /** Passes when the webhook answered 2xx with {@code {"pass": true}}. */
  record WebhookGate(
      String name, GateWhen when, String url, Duration timeout, Map<String, String> headers)
      implements Gate {
    /** The timeout when the plan names none. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public WebhookGate {
      headers = Map.copyOf(headers);
    }

    @Override
    public GateType type() {
      return GateType.Webhook;
    }
  }
}
