package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One entry of a run's audit trail. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuditEntry {
  @JsonPropertyDescription("When (RFC 3339).")
  private String time;

  @JsonPropertyDescription("What, CamelCase (StageStarted, ApprovalGranted, ...).")
  private String event;

  @JsonPropertyDescription("Detail.")
  private String message;

  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  public String getEvent() {
    return event;
  }

  public void setEvent(String event) {
    this.event = event;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AuditEntry that)) {
      return false;
    }
    return Objects.equals(time, that.time)
        && Objects.equals(event, that.event)
        && Objects.equals(message, that.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(time, event, message);
  }

  @Override
  public String toString() {
    return "AuditEntry{time=" + time + ", event=" + event + ", message=" + message + "}";
  }
}
