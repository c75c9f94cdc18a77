package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Target counts of a run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunSummary {
  @JsonPropertyDescription("All targets.")
  private Integer targets;

  @JsonPropertyDescription("Not started (Pending, Waiting).")
  private Integer pending;

  @JsonPropertyDescription("Publishing, Published, Applied, Progressing.")
  private Integer inFlight;

  @JsonPropertyDescription("Converged.")
  private Integer converged;

  @JsonPropertyDescription("Failed or Degraded past the stage timeout.")
  private Integer failed;

  @JsonPropertyDescription("Skipped or Superseded.")
  private Integer skipped;

  public Integer getTargets() {
    return targets;
  }

  public void setTargets(Integer targets) {
    this.targets = targets;
  }

  public Integer getPending() {
    return pending;
  }

  public void setPending(Integer pending) {
    this.pending = pending;
  }

  public Integer getInFlight() {
    return inFlight;
  }

  public void setInFlight(Integer inFlight) {
    this.inFlight = inFlight;
  }

  public Integer getConverged() {
    return converged;
  }

  public void setConverged(Integer converged) {
    this.converged = converged;
  }

  public Integer getFailed() {
    return failed;
  }

  public void setFailed(Integer failed) {
    this.failed = failed;
  }

  public Integer getSkipped() {
    return skipped;
  }

  public void setSkipped(Integer skipped) {
    this.skipped = skipped;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RunSummary that)) {
      return false;
    }
    return Objects.equals(targets, that.targets)
        && Objects.equals(pending, that.pending)
        && Objects.equals(inFlight, that.inFlight)
        && Objects.equals(converged, that.converged)
        && Objects.equals(failed, that.failed)
        && Objects.equals(skipped, that.skipped);
  }

  @Override
  public int hashCode() {
    return Objects.hash(targets, pending, inFlight, converged, failed, skipped);
  }

  @Override
  public String toString() {
    return "RunSummary{targets="
        + targets
        + ", pending="
        + pending
        + ", inFlight="
        + inFlight
        + ", converged="
        + converged
        + ", failed="
        + failed
        + ", skipped="
        + skipped
        + "}";
  }
}
