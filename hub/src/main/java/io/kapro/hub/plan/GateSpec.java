package io.kapro.hub.plan;

import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.GateWhen;

/**
 * A gate as written in the plan. Only the block matching {@code type} is read: {@code soak} for
 * Soak, {@code timeWindow} for TimeWindow, {@code webhook} for Webhook.
 */
public record GateSpec(
    String name,
    GateType type,
    GateWhen when,
    SoakSpec soak,
    TimeWindowSpec timeWindow,
    WebhookSpec webhook) {

  public static GateSpec approval(String name) {
    return new GateSpec(name, GateType.Approval, null, null, null, null);
  }

  public static GateSpec health(String name) {
    return new GateSpec(name, GateType.Health, null, null, null, null);
  }

  public static GateSpec soak(String name, String duration) {
    return new GateSpec(name, GateType.Soak, null, new SoakSpec(duration), null, null);
  }

  public static GateSpec timeWindow(String name, TimeWindowSpec window) {
    return new GateSpec(name, GateType.TimeWindow, null, null, window, null);
  }

  public static GateSpec webhook(String name, WebhookSpec webhook) {
    return new GateSpec(name, GateType.Webhook, null, null, null, webhook);
  }

  public GateSpec when(GateWhen value) {
    return new GateSpec(name, type, value, soak, timeWindow, webhook);
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
}
