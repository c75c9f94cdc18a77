package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Progress of one stage of a run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StageStatus {
  @JsonPropertyDescription("Stage name.")
  private String name;

  @JsonPropertyDescription("Stage phase.")
  private StagePhase phase;

  @JsonPropertyDescription("Index of the wave in flight (0-based).")
  private Integer currentWave;

  @JsonPropertyDescription("When the stage started (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When all its targets converged (RFC 3339).")
  private String convergedAt;

  @JsonPropertyDescription("Detail.")
  private String message;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public StagePhase getPhase() {
    return phase;
  }

  public void setPhase(StagePhase phase) {
    this.phase = phase;
  }

  public Integer getCurrentWave() {
    return currentWave;
  }

  public void setCurrentWave(Integer currentWave) {
    this.currentWave = currentWave;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getConvergedAt() {
    return convergedAt;
  }

  public void setConvergedAt(String convergedAt) {
    this.convergedAt = convergedAt;
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
    if (!(o instanceof StageStatus that)) {
      return false;
    }
    return Objects.equals(name, that.name)
        && Objects.equals(phase, that.phase)
        && Objects.equals(currentWave, that.currentWave)
        && Objects.equals(startedAt, that.startedAt)
        && Objects.equals(convergedAt, that.convergedAt)
        && Objects.equals(message, that.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, phase, currentWave, startedAt, convergedAt, message);
  }

  @Override
  public String toString() {
    return "StageStatus{name="
        + name
        + ", phase="
        + phase
        + ", currentWave="
        + currentWave
        + ", startedAt="
        + startedAt
        + ", convergedAt="
        + convergedAt
        + ", message="
        + message
        + "}";
  }
}
