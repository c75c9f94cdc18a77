package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import java.util.List;
import java.util.Objects;

/** Settings of a TimeWindow gate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TimeWindowGate {
  @JsonPropertyDescription("IANA time zone, e.g. Europe/Berlin.")
  @Default("UTC")
  private String timeZone = "UTC";

  @JsonPropertyDescription(
      "The gate passes only inside one of these windows (none: always, unless denied).")
  private List<TimeWindow> allow;

  @JsonPropertyDescription("The gate never passes inside these windows.")
  private List<TimeWindow> deny;

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }

  public List<TimeWindow> getAllow() {
    return allow;
  }

  public void setAllow(List<TimeWindow> allow) {
    this.allow = allow;
  }

  public List<TimeWindow> getDeny() {
    return deny;
  }

  public void setDeny(List<TimeWindow> deny) {
    this.deny = deny;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TimeWindowGate that)) {
      return false;
    }
    return Objects.equals(timeZone, that.timeZone)
        && Objects.equals(allow, that.allow)
        && Objects.equals(deny, that.deny);
  }

  @Override
  public int hashCode() {
    return Objects.hash(timeZone, allow, deny);
  }

  @Override
  public String toString() {
    return "TimeWindowGate{timeZone=" + timeZone + ", allow=" + allow + ", deny=" + deny + "}";
  }
}
