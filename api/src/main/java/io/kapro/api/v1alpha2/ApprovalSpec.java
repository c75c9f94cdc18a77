package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** Spec of an {@link Approval}: a decision for a gated run, stage or target. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApprovalSpec {
  @JsonPropertyDescription("PromotionRun name.")
  @Required
  @Size(min = 1, max = 253)
  private String run;

  @JsonPropertyDescription("Stage name; unset means every approval gate of the run.")
  @Pattern(Patterns.DNS_LABEL)
  private String stage;

  @JsonPropertyDescription("Target name; unset means every target of the stage.")
  private String target;

  @JsonPropertyDescription("Approve or Reject.")
  @Required
  private Decision decision;

  @JsonPropertyDescription("Why.")
  @Size(max = 1024)
  private String reason;

  @JsonPropertyDescription("Who decided.")
  @Required
  @Size(min = 1, max = 253)
  private String approver;

  public String getRun() {
    return run;
  }

  public void setRun(String run) {
    this.run = run;
  }

  public String getStage() {
    return stage;
  }

  public void setStage(String stage) {
    this.stage = stage;
  }

  public String getTarget() {
    return target;
  }

  public void setTarget(String target) {
    this.target = target;
  }

  public Decision getDecision() {
    return decision;
  }

  public void setDecision(Decision decision) {
    this.decision = decision;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getApprover() {
    return approver;
  }

  public void setApprover(String approver) {
    this.approver = approver;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ApprovalSpec that)) {
      return false;
    }
    return Objects.equals(run, that.run)
        && Objects.equals(stage, that.stage)
        && Objects.equals(target, that.target)
        && Objects.equals(decision, that.decision)
        && Objects.equals(reason, that.reason)
        && Objects.equals(approver, that.approver);
  }

  @Override
  public int hashCode() {
    return Objects.hash(run, stage, target, decision, reason, approver);
  }

  @Override
  public String toString() {
    return "ApprovalSpec{run="
        + run
        + ", stage="
        + stage
        + ", target="
        + target
        + ", decision="
        + decision
        + ", reason="
        + reason
        + ", approver="
        + approver
        + "}";
  }
}
