package io.kapro.hub.plan;

import io.kapro.api.v1alpha2.GateWhen;
import io.kapro.hub.gate.Gate;
import io.kapro.hub.gate.Window;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates and builds a TimeWindow gate: time zone, allow and deny windows. */
final class TimeWindowCompiler {
  private static final Pattern HH_MM = Pattern.compile("([01]\\d|2[0-3]):([0-5]\\d)|24:00");

  private TimeWindowCompiler() {}

  static Gate compile(String f, GateSpec g, GateWhen when, List<PlanProblem> problems) {
    GateSpec.TimeWindowSpec t = g.timeWindow();
    if (t == null) {
      problems.add(
          new PlanProblem(f, "required for a TimeWindow gate: { timeZone, allow[], deny[] }"));
      return null;
    }
    int before = problems.size();
    ZoneId zone = GateCompiler.zone(f + ".timeZone", t.timeZone(), problems);
    if (t.allow().isEmpty() && t.deny().isEmpty()) {
      problems.add(new PlanProblem(f, "needs at least one allow or deny window"));
    }
    List<Window> allow = windows(f + ".allow", t.allow(), problems);
    List<Window> deny = windows(f + ".deny", t.deny(), problems);
    return problems.size() > before
        ? null
        : new Gate.TimeWindowGate(g.name(), when, zone, allow, deny);
  }

  private static List<Window> windows(
      String f, List<GateSpec.WindowSpec> specs, List<PlanProblem> problems) {
    List<Window> out = new ArrayList<>();
    for (int k = 0; k < specs.size(); k++) {
      String wf = f + "[" + k + "]";
      GateSpec.WindowSpec w = specs.get(k);
      if (w == null) {
        problems.add(new PlanProblem(wf, "must not be null"));
        continue;
      }
      Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
      for (int d = 0; d < w.days().size(); d++) {
        DayOfWeek day = day(w.days().get(d));
        if (day == null) {
          problems.add(
              new PlanProblem(
                  wf + ".days[" + d + "]",
                  "\"" + Durations.shorten(w.days().get(d)) + "\" is not a day; use Mon..Sun"));
        } else {
          days.add(day);
        }
      }
      if (w.days().isEmpty()) {
        days = EnumSet.allOf(DayOfWeek.class);
      }
      Integer start = minute(wf + ".start", w.start(), problems);
      Integer end = minute(wf + ".end", w.end(), problems);
      if (start != null && end != null) {
        if (start.equals(end) || start == 1440) {
          problems.add(
              new PlanProblem(wf, "start and end must differ and start must be before 24:00"));
        } else {
          out.add(new Window(days, start, end));
        }
      }
    }
    return out;
  }

  private static Integer minute(String f, String text, List<PlanProblem> problems) {
    if (text == null || !HH_MM.matcher(text).matches()) {
      problems.add(
          new PlanProblem(
              f, "\"" + Durations.shorten(text) + "\" is not a time of day HH:MM (00:00..24:00)"));
      return null;
    }
    return Integer.parseInt(text.substring(0, 2)) * 60 + Integer.parseInt(text.substring(3));
  }

  private static DayOfWeek day(String text) {
    if (text == null || text.length() < 3) {
      return null;
    }
    String t = text.toUpperCase(Locale.ROOT);
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.name().equals(t) || d.name().substring(0, 3).equals(t)) {
        return d;
      }
    }
    return null;
  }
}
