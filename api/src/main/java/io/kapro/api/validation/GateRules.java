package io.kapro.api.validation;

import io.kapro.api.v1alpha2.Gate;
import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.Patterns;
import io.kapro.api.v1alpha2.TimeWindow;
import io.kapro.api.v1alpha2.TimeWindowGate;
import io.kapro.api.v1alpha2.WebhookGate;
import java.net.URI;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Gate checks: names, and that each gate carries the settings its type reads and no others. */
final class GateRules {
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
          at + ".type", g.getType(), "one of Approval, Soak, Health, TimeWindow, Webhook")) {
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
    if (t != GateType.Approval) {
      p.unused(at + ".approval", g.getApproval(), why);
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
      try {
        URI u = URI.create(w.getUrl());
        if (u.getHost() == null
            || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()))) {
          throw new IllegalArgumentException();
        }
      } catch (IllegalArgumentException e) {
        p.add(
            at + ".url",
            "\""
                + w.getUrl()
                + "\" is not an http(s) URL: write e.g. https://checks.example/ready");
      }
    }
    p.positiveDuration(at + ".timeout", w.getTimeout());
  }
}
