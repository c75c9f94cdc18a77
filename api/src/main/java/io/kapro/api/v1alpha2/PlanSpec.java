package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/** Desired state of a {@link Plan}: a DAG of stages. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.stages.all(s, self.stages.exists_one(t, t.name == s.name))",
    message = "stage names must be unique")
public class PlanSpec {
  @JsonPropertyDescription("Stages; each names the stages it waits for in dependsOn.")
  @Required
  @Size(min = 1, max = 32)
  private List<Stage> stages;

  @JsonPropertyDescription("Allow a cluster to be selected by two stages.")
  @Default("false")
  private Boolean allowOverlap = false;

  public List<Stage> getStages() {
    return stages;
  }

  public void setStages(List<Stage> stages) {
    this.stages = stages;
  }

  public Boolean getAllowOverlap() {
    return allowOverlap;
  }

  public void setAllowOverlap(Boolean allowOverlap) {
    this.allowOverlap = allowOverlap;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof PlanSpec that)) {
      return false;
    }
    return Objects.equals(stages, that.stages) && Objects.equals(allowOverlap, that.allowOverlap);
  }

  @Override
  public int hashCode() {
    return Objects.hash(stages, allowOverlap);
  }

  @Override
  public String toString() {
    return "PlanSpec{stages=" + stages + ", allowOverlap=" + allowOverlap + "}";
  }
}
