package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Objects;

/** A weekly time window. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TimeWindow {
  @JsonPropertyDescription("Days of the week; empty means every day.")
  private List<Weekday> days;

  @JsonPropertyDescription("Start, HH:MM (24 h).")
  @Required
  @Pattern(Patterns.CLOCK_TIME)
  private String start;

  @JsonPropertyDescription("End, HH:MM (24 h); before start means the window crosses midnight.")
  @Required
  @Pattern(Patterns.CLOCK_TIME)
  private String end;

  public List<Weekday> getDays() {
    return days;
  }

  public void setDays(List<Weekday> days) {
    this.days = days;
  }

  public String getStart() {
    return start;
  }

  public void setStart(String start) {
    this.start = start;
  }

  public String getEnd() {
    return end;
  }

  public void setEnd(String end) {
    this.end = end;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TimeWindow that)) {
      return false;
    }
    return Objects.equals(days, that.days)
        && Objects.equals(start, that.start)
        && Objects.equals(end, that.end);
  }

  @Override
  public int hashCode() {
    return Objects.hash(days, start, end);
  }

  @Override
  public String toString() {
    return "TimeWindow{days=" + days + ", start=" + start + ", end=" + end + "}";
  }
}
