package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** A Metrics gate's measurements so far for one Target. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricsGateStatus {
  @JsonPropertyDescription("The query as last sent (variables replaced).")
  private String query;

  @JsonPropertyDescription("Measurements taken.")
  private Integer measurements;

  @JsonPropertyDescription("Successful measurements in a row, up to the last one.")
  private Integer consecutiveSuccesses;

  @JsonPropertyDescription("Failed measurements (condition not met, no data, or query error).")
  private Integer failures;

  @JsonPropertyDescription("When the last measurement was taken (RFC 3339).")
  private String lastMeasuredAt;

  @JsonPropertyDescription("Succeeded, Failed, NoData or Error.")
  private String lastResult;

  @JsonPropertyDescription("What the last measurement found, or why it failed.")
  private String lastMessage;

  public String getLastMessage() {
    return lastMessage;
  }

  public void setLastMessage(String lastMessage) {
    this.lastMessage = lastMessage;
  }

  @JsonPropertyDescription("The values of the last measurement, as series=value (at most 10).")
  private List<String> lastValues;

  public String getQuery() {
    return query;
  }

  public void setQuery(String query) {
    this.query = query;
  }

  public Integer getMeasurements() {
    return measurements;
  }

  public void setMeasurements(Integer measurements) {
    this.measurements = measurements;
  }

  public Integer getConsecutiveSuccesses() {
    return consecutiveSuccesses;
  }

  public void setConsecutiveSuccesses(Integer consecutiveSuccesses) {
    this.consecutiveSuccesses = consecutiveSuccesses;
  }

  public Integer getFailures() {
    return failures;
  }

  public void setFailures(Integer failures) {
    this.failures = failures;
  }

  public String getLastMeasuredAt() {
    return lastMeasuredAt;
  }

  public void setLastMeasuredAt(String lastMeasuredAt) {
    this.lastMeasuredAt = lastMeasuredAt;
  }

  public String getLastResult() {
    return lastResult;
  }

  public void setLastResult(String lastResult) {
    this.lastResult = lastResult;
  }

  public List<String> getLastValues() {
    return lastValues;
  }

  public void setLastValues(List<String> lastValues) {
    this.lastValues = lastValues;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof MetricsGateStatus that)) {
      return false;
    }
    return Objects.equals(query, that.query)
        && Objects.equals(measurements, that.measurements)
        && Objects.equals(consecutiveSuccesses, that.consecutiveSuccesses)
        && Objects.equals(failures, that.failures)
        && Objects.equals(lastMeasuredAt, that.lastMeasuredAt)
        && Objects.equals(lastResult, that.lastResult)
        && Objects.equals(lastMessage, that.lastMessage)
        && Objects.equals(lastValues, that.lastValues);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        query,
        measurements,
        consecutiveSuccesses,
        failures,
        lastMeasuredAt,
        lastResult,
        lastValues);
  }

  @Override
  public String toString() {
    return "MetricsGateStatus{measurements="
        + measurements
        + ", consecutiveSuccesses="
        + consecutiveSuccesses
        + ", failures="
        + failures
        + ", lastMeasuredAt="
        + lastMeasuredAt
        + ", lastResult="
        + lastResult
        + ", lastMessage="
        + lastMessage
        + ", lastValues="
        + lastValues
        + "}";
  }
}
