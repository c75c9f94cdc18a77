package io.kapro.api.validation;

import io.kapro.api.v1alpha2.Gate;
import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.MetricsCondition;
import io.kapro.api.v1alpha2.MetricsGate;
import io.kapro.api.v1alpha2.Patterns;
import io.kapro.api.v1alpha2.TimeWindow;
import io.kapro.api.v1alpha2.TimeWindowGate;
import io.kapro.api.v1alpha2.WebhookGate;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Gate checks: names, and that each gate carries the settings its type reads and no others. */
final class GateRules {
  /** Longest a webhook gate may take to answer. */
  static final Duration MAX_WEBHOOK_TIMEOUT = Duration.ofMinutes(1);

  /** Shortest time between two measurements of a metrics gate. */
  static final Duration MIN_METRICS_INTERVAL = Duration.ofSeconds(1);

  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "content-type");

  private GateRules() {}

  static void check(Problems p, String path, List<Gate> gates) {
    if (gates == null) {
      return;
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < gates.size(); i++) {
      String at = path + "[" + i + "]";
      Gate g = gates.get(i);
      if (!p.required(at, g, "name and type")) {
        continue;
      }
      if (p.required(at + ".name", g.getName(), "a DNS label")) {
        p.dnsLabel(at + ".name", g.getName());
        Integer first = seen.putIfAbsent(g.getName(), i);
        if (first != null) {
          p.add(
              at + ".name",
              "duplicate gate name \""
                  + g.getName()
                  + "\" (also "
                  + path
                  + "["
                  + first
                  + "]); gate names must be unique within a stage");
        }
      }
      if (p.required(
          at + ".type",
          g.getType(),
          "one of Approval, Soak, Health, TimeWindow, Webhook, Metrics")) {
        settings(p, at, g);
      }
    }
  }

  private static void settings(Problems p, String at, Gate g) {
    GateType t = g.getType();
    String why = "by a " + t + " gate";
    if (t == GateType.Soak) {
      if (p.required(at + ".soak", g.getSoak(), "soak.duration, e.g. 10m")
          && p.required(at + ".soak.duration", g.getSoak().getDuration(), "a duration, e.g. 10m")) {
        p.positiveDuration(at + ".soak.duration", g.getSoak().getDuration());
      }
    } else {
      p.unused(at + ".soak", g.getSoak(), why);
    }
    if (t == GateType.TimeWindow) {
      if (p.required(
          at + ".timeWindow", g.getTimeWindow(), "timeWindow.allow or timeWindow.deny")) {
        timeWindow(p, at + ".timeWindow", g.getTimeWindow());
      }
    } else {
      p.unused(at + ".timeWindow", g.getTimeWindow(), why);
    }
    if (t == GateType.Webhook) {
      if (p.required(at + ".webhook", g.getWebhook(), "webhook.url")) {
        webhook(p, at + ".webhook", g.getWebhook());
      }
    } else {
      p.unused(at + ".webhook", g.getWebhook(), why);
    }
    if (t == GateType.Metrics) {
      if (p.required(at + ".metrics", g.getMetrics(), "metrics.address, query, successCondition")) {
        metrics(p, at + ".metrics", g.getMetrics());
      }
    } else {
      p.unused(at + ".metrics", g.getMetrics(), why);
    }
    if (t != GateType.Approval) {
      p.unused(at + ".approval", g.getApproval(), why);
    }
  }

  private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([^}\\s]*)\\s*}}");

  private static void metrics(Problems p, String at, MetricsGate m) {
    if (p.required(at + ".address", m.getAddress(), "the Prometheus base URL")) {
      url(
          p,
          at + ".address",
          m.getAddress(),
          "https://prometheus.example:9090",
          "metrics.secretRef");
    }
    if (p.required(at + ".query", m.getQuery(), "a PromQL query")) {
      if (m.getQuery().isBlank() || m.getQuery().length() > 4096) {
        p.add(at + ".query", "must be a PromQL query of 1 to 4096 characters");
      }
      var vars = VARIABLE.matcher(m.getQuery());
      while (vars.find()) {
        if (!MetricsGate.VARIABLES.contains(vars.group(1))) {
          p.add(
              at + ".query",
              "uses the unknown variable {{ "
                  + vars.group(1)
                  + " }}: use one of "
                  + new java.util.TreeSet<>(MetricsGate.VARIABLES));
        }
      }
    }
    MetricsCondition c = m.getSuccessCondition();
    if (p.required(at + ".successCondition", c, "operator and threshold, e.g. < 0.01")) {
      if (p.required(at + ".successCondition.operator", c.getOperator(), "<, <=, >, >=, == or !=")
          && !c.getOperator().matches(MetricsCondition.OPERATORS)) {
        p.add(
            at + ".successCondition.operator",
            "\"" + c.getOperator() + "\" is not an operator: use <, <=, >, >=, == or !=");
      }
      if (p.required(at + ".successCondition.threshold", c.getThreshold(), "a number, e.g. 0.01")
          && !Double.isFinite(c.getThreshold())) {
        p.add(at + ".successCondition.threshold", "must be a finite number");
      }
    }
    Duration interval = p.positiveDuration(at + ".interval", m.getInterval());
    if (interval != null && interval.compareTo(MIN_METRICS_INTERVAL) < 0) {
      p.add(at + ".interval", "must be at least 1s; Prometheus scrapes are not faster");
    }
    Duration timeout = p.positiveDuration(at + ".timeout", m.getTimeout());
    if (timeout != null && timeout.compareTo(MAX_WEBHOOK_TIMEOUT) > 0) {
      p.add(at + ".timeout", "must be at most 1m; a gate must not hold a reconcile longer");
    }
    if (m.getConsecutiveSuccesses() != null
        && (m.getConsecutiveSuccesses() < 1 || m.getConsecutiveSuccesses() > 100)) {
      p.add(at + ".consecutiveSuccesses", "must be between 1 and 100");
    }
    if (m.getFailureLimit() != null && (m.getFailureLimit() < 0 || m.getFailureLimit() > 100)) {
      p.add(at + ".failureLimit", "must be between 0 and 100");
    }
    if (m.getSecretRef() != null) {
      p.required(at + ".secretRef.name", m.getSecretRef().getName(), "a Secret name");
    }
  }

  private static void timeWindow(Problems p, String at, TimeWindowGate tw) {
    if (tw.getTimeZone() != null) {
      try {
        ZoneId.of(tw.getTimeZone());
      } catch (DateTimeException e) {
        p.add(
            at + ".timeZone",
            "\""
                + tw.getTimeZone()
                + "\" is not a time zone: use an IANA name such as UTC or Europe/Berlin");
      }
    }
    boolean none =
        (tw.getAllow() == null || tw.getAllow().isEmpty())
            && (tw.getDeny() == null || tw.getDeny().isEmpty());
    if (none) {
      p.add(at, "lists no windows: add timeWindow.allow or timeWindow.deny entries");
    }
    windows(p, at + ".allow", tw.getAllow());
    windows(p, at + ".deny", tw.getDeny());
  }

  private static void windows(Problems p, String at, List<TimeWindow> windows) {
    if (windows == null) {
      return;
    }
    for (int i = 0; i < windows.size(); i++) {
      String w = at + "[" + i + "]";
      TimeWindow tw = windows.get(i);
      if (!p.required(w, tw, "start and end")) {
        continue;
      }
      boolean ok = clock(p, w + ".start", tw.getStart()) & clock(p, w + ".end", tw.getEnd());
      if (ok && tw.getStart().equals(tw.getEnd())) {
        p.add(
            w + ".end",
            "equals start; a window needs a length (end before start crosses midnight)");
      }
    }
  }

  private static boolean clock(Problems p, String at, String v) {
    if (!p.required(at, v, "a time HH:MM, e.g. 09:00")) {
      return false;
    }
    if (!v.matches(Patterns.CLOCK_TIME)) {
      p.add(at, "\"" + v + "\" is not a time: write HH:MM on a 24-hour clock, e.g. 09:00 or 17:30");
      return false;
    }
    return true;
  }

  private static void webhook(Problems p, String at, WebhookGate w) {
    if (p.required(at + ".url", w.getUrl(), "an http(s) URL")) {
      url(p, at + ".url", w.getUrl());
    }
    Duration timeout = p.positiveDuration(at + ".timeout", w.getTimeout());
    if (timeout != null && timeout.compareTo(MAX_WEBHOOK_TIMEOUT) > 0) {
      p.add(at + ".timeout", "must be at most 1m; a gate must not hold a reconcile longer");
    }
    if (w.getHeaders() != null) {
      headers(p, at + ".headers", w.getHeaders());
    }
  }

  private static void url(Problems p, String at, String text) {
    url(p, at, text, "https://checks.example/ready", "webhook.headers");
  }

  private static void url(
      Problems p, String at, String text, String example, String credentialsGoTo) {
    if (text.length() > 2048) {
      p.add(at, "is longer than 2048 characters");
      return;
    }
    URI u;
    try {
      u = new URI(text);
    } catch (URISyntaxException e) {
      p.add(at, "\"" + text + "\" is not a URL (" + e.getReason() + "): write e.g. " + example);
      return;
    }
    if (u.getHost() == null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()))) {
      p.add(at, "\"" + text + "\" is not an http(s) URL with a host: write e.g. " + example);
    } else if (u.getRawUserInfo() != null) {
      p.add(at, "must not carry credentials; send them in " + credentialsGoTo + " instead");
    } else if (u.getRawFragment() != null) {
      p.add(at, "must not have a #fragment; remove it");
    }
  }

  private static void headers(Problems p, String at, Map<String, String> headers) {
    for (Map.Entry<String, String> h : headers.entrySet()) {
      String name = h.getKey();
      if (name == null || !HEADER_NAME.matcher(name).matches()) {
        p.add(
            at,
            "\"" + name + "\" is not an HTTP header name (RFC 9110 token, at most 100 characters)");
      } else if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        p.add(at + "." + name, "is set by Kapro and cannot be overridden; remove it");
      } else if (h.getValue() == null
          || h.getValue().length() > 4096
          || h.getValue().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
        p.add(at + "." + name, "needs a single-line value of at most 4096 characters");
      }
    }
  }
}
