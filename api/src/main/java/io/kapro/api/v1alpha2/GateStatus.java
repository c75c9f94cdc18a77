package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Result of one gate for a target. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GateStatus {
  @JsonPropertyDescription("Gate name.")
  private String name;

  @JsonPropertyDescription("Gate type.")
  private GateType type;

  @JsonPropertyDescription("Pending, Passed or Failed.")
  private GateResult result;

  @JsonPropertyDescription("Detail.")
  private String message;

  @JsonPropertyDescription("Since when (RFC 3339).")
  private String since;

  @JsonPropertyDescription("For a Metrics gate: its measurements so far and the last values.")
  private MetricsGateStatus metrics;

  public MetricsGateStatus getMetrics() {
    return metrics;
  }

  public void setMetrics(MetricsGateStatus metrics) {
    this.metrics = metrics;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public GateType getType() {
    return type;
  }

  public void setType(GateType type) {
    this.type = type;
  }

  public GateResult getResult() {
    return result;
  }

  public void setResult(GateResult result) {
    this.result = result;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getSince() {
    return since;
  }

  public void setSince(String since) {
    this.since = since;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof GateStatus that)) {
      return false;
    }
    return Objects.equals(name, that.name)
        && Objects.equals(type, that.type)
        && Objects.equals(result, that.result)
        && Objects.equals(message, that.message)
        && Objects.equals(since, that.since)
        && Objects.equals(metrics, that.metrics);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, result, message, since, metrics);
  }

  @Override
  public String toString() {
    return "GateStatus{name="
        + name
        + ", type="
        + type
        + ", result="
        + result
        + ", message="
        + message
        + ", since="
        + since
        + ", metrics="
        + metrics
        + "}";
  }
}
