package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Objects;

/** Spec of a {@link Target}: one cluster in one stage of a run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetSpec {
  @JsonPropertyDescription("PromotionRun name.")
  @Required
  private String run;

  @JsonPropertyDescription("Cluster name.")
  @Required
  private String cluster;

  @JsonPropertyDescription("Stage name.")
  @Required
  private String stage;

  @JsonPropertyDescription("Wave index within the stage (0-based).")
  @Required
  @Min(0)
  private Integer wave;

  @JsonPropertyDescription("Unit versions this target must run.")
  @Required
  private List<UnitVersion> units;

  @JsonPropertyDescription("True when this target returns units to their previous versions.")
  @Default("false")
  private Boolean rollback = false;

  public String getRun() {
    return run;
  }

  public void setRun(String run) {
    this.run = run;
  }

  public String getCluster() {
    return cluster;
  }

  public void setCluster(String cluster) {
    this.cluster = cluster;
  }

  public String getStage() {
    return stage;
  }

  public void setStage(String stage) {
    this.stage = stage;
  }

  public Integer getWave() {
    return wave;
  }

  public void setWave(Integer wave) {
    this.wave = wave;
  }

  public List<UnitVersion> getUnits() {
    return units;
  }

  public void setUnits(List<UnitVersion> units) {
    this.units = units;
  }

  public Boolean getRollback() {
    return rollback;
  }

  public void setRollback(Boolean rollback) {
    this.rollback = rollback;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TargetSpec that)) {
      return false;
    }
    return Objects.equals(run, that.run)
        && Objects.equals(cluster, that.cluster)
        && Objects.equals(stage, that.stage)
        && Objects.equals(wave, that.wave)
        && Objects.equals(units, that.units)
        && Objects.equals(rollback, that.rollback);
  }

  @Override
  public int hashCode() {
    return Objects.hash(run, cluster, stage, wave, units, rollback);
  }

  @Override
  public String toString() {
    return "TargetSpec{run="
        + run
        + ", cluster="
        + cluster
        + ", stage="
        + stage
        + ", wave="
        + wave
        + ", units="
        + units
        + ", rollback="
        + rollback
        + "}";
  }
}
