package io.kapro.hub.plan;

import io.kapro.api.v1alpha2.GateWhen;
import io.kapro.hub.gate.Gate;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates raw gates and builds {@link Gate}s from them. */
final class GateCompiler {
  static final Duration DEFAULT_WEBHOOK_TIMEOUT = Duration.ofSeconds(10);
  static final Duration MAX_WEBHOOK_TIMEOUT = Duration.ofMinutes(1);
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "content-type");

  private GateCompiler() {}

  static List<Gate> compileAll(String field, List<GateSpec> specs, List<PlanProblem> problems) {
    List<Gate> gates = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int k = 0; k < specs.size(); k++) {
      String f = field + "[" + k + "]";
      GateSpec g = specs.get(k);
      if (g == null) {
        problems.add(new PlanProblem(f, "must not be null"));
        continue;
      }
      if (g.name() == null || g.name().isBlank()) {
        problems.add(new PlanProblem(f + ".name", "required"));
      } else if (!names.add(g.name())) {
        problems.add(
            new PlanProblem(f + ".name", "duplicate gate name \"" + g.name() + "\" in this stage"));
      }
      Gate gate = compile(f, g, problems);
      if (gate != null) {
        gates.add(gate);
      }
    }
    return gates;
  }

  private static Gate compile(String f, GateSpec g, List<PlanProblem> problems) {
    if (g.type() == null) {
      problems.add(
          new PlanProblem(
              f + ".type", "required: one of Approval, Soak, Health, TimeWindow, Webhook"));
      return null;
    }
    GateWhen when = g.when() == null ? GateWhen.BeforeStage : g.when();
    return switch (g.type()) {
      case Approval -> new Gate.ApprovalGate(g.name(), when);
      case Health -> new Gate.HealthGate(g.name(), when);
      case Soak -> soak(f, g, when, problems);
      case TimeWindow -> TimeWindowCompiler.compile(f + ".timeWindow", g, when, problems);
      case Webhook -> webhook(f + ".webhook", g, when, problems);
    };
  }

  private static Gate soak(String f, GateSpec g, GateWhen when, List<PlanProblem> problems) {
    if (g.soak() == null || g.soak().duration() == null) {
      problems.add(new PlanProblem(f + ".soak.duration", "required for a Soak gate, e.g. 30m"));
      return null;
    }
    try {
      return new Gate.SoakGate(g.name(), when, Durations.parse(g.soak().duration()));
    } catch (IllegalArgumentException e) {
      problems.add(new PlanProblem(f + ".soak.duration", e.getMessage()));
      return null;
    }
  }

  private static Gate webhook(String f, GateSpec g, GateWhen when, List<PlanProblem> problems) {
    GateSpec.WebhookSpec w = g.webhook();
    if (w == null) {
      problems.add(new PlanProblem(f, "required for a Webhook gate: { url, timeout, headers }"));
      return null;
    }
    int before = problems.size();
    URI url = url(f + ".url", w.url(), problems);
    Duration timeout = DEFAULT_WEBHOOK_TIMEOUT;
    if (w.timeout() != null) {
      try {
        timeout = Durations.parse(w.timeout());
        if (timeout.isZero() || timeout.compareTo(MAX_WEBHOOK_TIMEOUT) > 0) {
          problems.add(new PlanProblem(f + ".timeout", "must be between 1ms and 1m"));
        }
      } catch (IllegalArgumentException e) {
        problems.add(new PlanProblem(f + ".timeout", e.getMessage()));
      }
    }
    for (Map.Entry<String, String> h : w.headers().entrySet()) {
      String name = h.getKey();
      if (name == null || !HEADER_NAME.matcher(name).matches()) {
        problems.add(
            new PlanProblem(
                f + ".headers", "\"" + Durations.shorten(name) + "\" is not a header name"));
      } else if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        problems.add(
            new PlanProblem(f + ".headers." + name, "is set by Kapro and cannot be overridden"));
      } else if (h.getValue() == null
          || h.getValue().length() > 4096
          || h.getValue().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
        problems.add(
            new PlanProblem(
                f + ".headers." + name, "needs a single-line value of at most 4096 characters"));
      }
    }
    return problems.size() > before
        ? null
        : new Gate.WebhookGate(g.name(), when, url, timeout, w.headers());
  }

  private static URI url(String f, String text, List<PlanProblem> problems) {
    if (text == null || text.isBlank()) {
      problems.add(new PlanProblem(f, "required, e.g. https://checks.example/gate"));
      return null;
    }
    if (text.length() > 2048) {
      problems.add(new PlanProblem(f, "longer than 2048 characters"));
      return null;
    }
    try {
      URI u = new URI(text);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        problems.add(new PlanProblem(f, "must be an http:// or https:// URL"));
      } else if (u.getHost() == null || u.getHost().isBlank()) {
        problems.add(new PlanProblem(f, "needs a host name"));
      } else if (u.getRawUserInfo() != null) {
        problems.add(new PlanProblem(f, "must not carry credentials; use headers instead"));
      } else if (u.getRawFragment() != null) {
        problems.add(new PlanProblem(f, "must not have a #fragment"));
      } else {
        return u;
      }
    } catch (URISyntaxException e) {
      problems.add(new PlanProblem(f, "not a URL: " + e.getReason()));
    }
    return null;
  }

  static ZoneId zone(String f, String text, List<PlanProblem> problems) {
    if (text == null || text.isBlank()) {
      return ZoneId.of("UTC");
    }
    try {
      return ZoneId.of(text);
    } catch (java.time.DateTimeException e) {
      problems.add(
          new PlanProblem(
              f,
              "\""
                  + Durations.shorten(text)
                  + "\" is not an IANA time zone such as Europe/Berlin"));
      return null;
    }
  }
}
