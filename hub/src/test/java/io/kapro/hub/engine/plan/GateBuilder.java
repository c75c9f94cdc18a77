package io.kapro.hub.engine.plan;

import io.kapro.api.v1alpha2.Gate;
import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.GateWhen;
import io.kapro.api.v1alpha2.SoakGate;
import io.kapro.api.v1alpha2.TimeWindow;
import io.kapro.api.v1alpha2.TimeWindowGate;
import io.kapro.api.v1alpha2.WebhookGate;
import io.kapro.api.v1alpha2.Weekday;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;

/**
 * Builds a Plan gate for tests. Only the block matching {@code type} is set on the api object:
 * {@code soak} for Soak, {@code timeWindow} for TimeWindow, {@code webhook} for Webhook.
 */
public record GateBuilder(
    String name,
    GateType type,
    GateWhen when,
    SoakSpec soak,
    TimeWindowSpec timeWindow,
    WebhookSpec webhook,
    io.kapro.api.v1alpha2.MetricsGate metrics) {

  public GateBuilder(
      String name,
      GateType type,
      GateWhen when,
      SoakSpec soak,
      TimeWindowSpec timeWindow,
      WebhookSpec webhook) {
    this(name, type, when, soak, timeWindow, webhook, null);
  }

  /** A Metrics gate with these settings (the api object as a Plan holds it). */
  public static GateBuilder metrics(String name, io.kapro.api.v1alpha2.MetricsGate metrics) {
    return new GateBuilder(name, GateType.Metrics, null, null, null, null, metrics);
  }

  public static GateBuilder approval(String name) {
    return new GateBuilder(name, GateType.Approval, null, null, null, null);
  }

  public static GateBuilder health(String name) {
    return new GateBuilder(name, GateType.Health, null, null, null, null);
  }

  public static GateBuilder soak(String name, String duration) {
    return new GateBuilder(name, GateType.Soak, null, new SoakSpec(duration), null, null);
  }

  public static GateBuilder timeWindow(String name, TimeWindowSpec window) {
    return new GateBuilder(name, GateType.TimeWindow, null, null, window, null);
  }

  public static GateBuilder webhook(String name, WebhookSpec webhook) {
    return new GateBuilder(name, GateType.Webhook, null, null, null, webhook);
  }

  public GateBuilder when(GateWhen value) {
    return new GateBuilder(name, type, value, soak, timeWindow, webhook, metrics);
  }

  /** {@code soak { duration }}. */
  public record SoakSpec(String duration) {}

  /** {@code timeWindow { timeZone, allow[], deny[] }}. */
  public record TimeWindowSpec(
      String timeZone, java.util.List<WindowSpec> allow, java.util.List<WindowSpec> deny) {
    public TimeWindowSpec {
      allow = Copies.list(allow);
      deny = Copies.list(deny);
    }
  }

  /** One window: days (Mon..Sun; empty = every day), start and end as HH:MM. */
  public record WindowSpec(java.util.List<String> days, String start, String end) {
    public WindowSpec {
      days = Copies.list(days);
    }
  }

  /** {@code webhook { url, timeout (default 10s), headers }}. */
  public record WebhookSpec(String url, String timeout, java.util.Map<String, String> headers) {
    public WebhookSpec {
      headers = Copies.map(headers);
    }
  }

  /** The api gate. */
  public Gate toApi() {
    Gate g = new Gate();
    g.setName(name);
    g.setType(type);
    if (when != null) {
      g.setWhen(when);
    }
    if (soak != null) {
      SoakGate sg = new SoakGate();
      sg.setDuration(soak.duration());
      g.setSoak(sg);
    }
    if (timeWindow != null) {
      TimeWindowGate t = new TimeWindowGate();
      t.setTimeZone(timeWindow.timeZone());
      t.setAllow(windows(timeWindow.allow()));
      t.setDeny(windows(timeWindow.deny()));
      g.setTimeWindow(t);
    }
    if (webhook != null) {
      WebhookGate w = new WebhookGate();
      w.setUrl(webhook.url());
      if (webhook.timeout() != null) {
        w.setTimeout(webhook.timeout());
      }
      w.setHeaders(webhook.headers().isEmpty() ? null : new LinkedHashMap<>(webhook.headers()));
      g.setWebhook(w);
    }
    g.setMetrics(metrics);
    return g;
  }

  private static java.util.List<TimeWindow> windows(java.util.List<WindowSpec> specs) {
    if (specs.isEmpty()) {
      return null;
    }
    java.util.List<TimeWindow> out = new ArrayList<>();
    for (WindowSpec w : specs) {
      if (w == null) {
        out.add(null);
        continue;
      }
      TimeWindow t = new TimeWindow();
      if (!w.days().isEmpty()) {
        t.setDays(w.days().stream().map(GateBuilder::day).toList());
      }
      t.setStart(w.start());
      t.setEnd(w.end());
      out.add(t);
    }
    return out;
  }

  /** Mon, MON, Monday: the first three letters name the day. */
  private static Weekday day(String text) {
    String t = text.substring(0, 3).toLowerCase(Locale.ROOT);
    return Weekday.valueOf(Character.toUpperCase(t.charAt(0)) + t.substring(1));
  }
}
