package io.kapro.hub.gate;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.util.Set;

/**
 * A weekly window in a gate's time zone: on {@code days} from {@code startMinute} to {@code
 * endMinute} (minutes after midnight, end exclusive). An end at or before the start runs past
 * midnight into the next day; the window belongs to the day it starts on.
 */
public record Window(Set<DayOfWeek> days, int startMinute, int endMinute) {
  public Window {
    days = Set.copyOf(days);
  }

  /** Whether the local wall-clock time falls inside this window. */
  public boolean contains(LocalDateTime local) {
    int minute = local.getHour() * 60 + local.getMinute();
    if (startMinute < endMinute) {
      return days.contains(local.getDayOfWeek()) && minute >= startMinute && minute < endMinute;
    }
    // Spans midnight: the evening part on a listed day, or the morning part after a listed day.
    boolean evening = days.contains(local.getDayOfWeek()) && minute >= startMinute;
    boolean morning = days.contains(local.getDayOfWeek().minus(1)) && minute < endMinute;
    return evening || morning;
  }

  @Override
  public String toString() {
    return days.stream().sorted().map(d -> d.name().substring(0, 3)).toList()
        + String.format(
            " %02d:%02d-%02d:%02d",
            startMinute / 60, startMinute % 60, endMinute / 60, endMinute % 60);
  }
}
