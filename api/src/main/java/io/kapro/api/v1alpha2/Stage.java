package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;
import java.util.Objects;

/** One stage of a Plan: which clusters, after which stages, in which waves, behind which gates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.dependsOn) || !(self.name in self.dependsOn)",
    message = "a stage cannot depend on itself")
public class Stage {
  @JsonPropertyDescription("Stage name, a DNS label unique within the plan.")
  @Required
  @Pattern(Patterns.DNS_LABEL)
  @Size(max = 63)
  private String name;

  @JsonPropertyDescription("Which Clusters of the fleet belong to this stage.")
  @Required
  private LabelSelector selector;

  @JsonPropertyDescription("Stages that must finish before this one starts.")
  @Size(max = 32)
  private List<String> dependsOn;

  @JsonPropertyDescription(
      "All: wait for every dependency; Any: the first that finishes unlocks this stage.")
  @Default("All")
  private Unlock unlock = Unlock.All;

  @JsonPropertyDescription(
      "How long this stage's targets must stay converged before dependants start (Go duration).")
  @Pattern(Patterns.DURATION)
  private String requiredSoakTime;

  @JsonPropertyDescription(
      "Wave sizes: cluster counts (\"1\") or cumulative percentages (\"10%\"), increasing, the last \"100%\".")
  @Size(min = 1, max = 20)
  private List<String> waves;

  @JsonPropertyDescription(
      "At most this many targets of the stage in flight at once; unset means unlimited.")
  @Min(1)
  private Integer maxParallel;

  @JsonPropertyDescription(
      "How many (or what percentage, rounded down, of) the stage's targets may be unavailable at the same time before the stage fails: Degraded, Failed (including unreachable: Fail), or unreachable past maxWait under unreachable: Wait; default 0.")
  private IntOrString maxUnavailable;

  @JsonPropertyDescription("Gates that must pass before the stage (or each wave) starts.")
  @Size(max = 16)
  private List<Gate> gates;

  @JsonPropertyDescription("Halt the run, Skip the failed targets, or Rollback the stage.")
  @Default("Halt")
  private OnFailure onFailure = OnFailure.Halt;

  @JsonPropertyDescription("A target not converged within this time fails (Go duration).")
  @Default("1h")
  @Pattern(Patterns.DURATION)
  private String timeout = "1h";

  @JsonPropertyDescription(
      "What to do with a Target whose cluster is unreachable now (AirGapped, or Connected not True): Wait (publish; the wave waits up to maxWait), Skip (Target Skipped), Fail (Target Failed).")
  @Default("Wait")
  private Unreachable unreachable = Unreachable.Wait;

  @JsonPropertyDescription(
      "With unreachable: Wait, how long a wave waits for an unreachable cluster after publishing to it before it goes on without it (Go duration).")
  @Default("1h")
  @Pattern(Patterns.DURATION)
  private String maxWait = "1h";

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public LabelSelector getSelector() {
    return selector;
  }

  public void setSelector(LabelSelector selector) {
    this.selector = selector;
  }

  public List<String> getDependsOn() {
    return dependsOn;
  }

  public void setDependsOn(List<String> dependsOn) {
    this.dependsOn = dependsOn;
  }

  public Unlock getUnlock() {
    return unlock;
  }

  public void setUnlock(Unlock unlock) {
    this.unlock = unlock;
  }

  public String getRequiredSoakTime() {
    return requiredSoakTime;
  }

  public void setRequiredSoakTime(String requiredSoakTime) {
    this.requiredSoakTime = requiredSoakTime;
  }

  public List<String> getWaves() {
    return waves;
  }

  public void setWaves(List<String> waves) {
    this.waves = waves;
  }

  public Integer getMaxParallel() {
    return maxParallel;
  }

  public void setMaxParallel(Integer maxParallel) {
    this.maxParallel = maxParallel;
  }

  public IntOrString getMaxUnavailable() {
    return maxUnavailable;
  }

  public void setMaxUnavailable(IntOrString maxUnavailable) {
    this.maxUnavailable = maxUnavailable;
  }

  public List<Gate> getGates() {
    return gates;
  }

  public void setGates(List<Gate> gates) {
    this.gates = gates;
  }

  public OnFailure getOnFailure() {
    return onFailure;
  }

  public void setOnFailure(OnFailure onFailure) {
    this.onFailure = onFailure;
  }

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  /** The waves to use: {@link #getWaves()} or {@code ["100%"]} when unset or empty. */
  public List<String> effectiveWaves() {
    return waves == null || waves.isEmpty() ? List.of("100%") : List.copyOf(waves);
  }

  public Unreachable getUnreachable() {
    return unreachable;
  }

  public void setUnreachable(Unreachable unreachable) {
    this.unreachable = unreachable;
  }

  public String getMaxWait() {
    return maxWait;
  }

  public void setMaxWait(String maxWait) {
    this.maxWait = maxWait;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Stage that)) {
      return false;
    }
    return Objects.equals(name, that.name)
        && Objects.equals(selector, that.selector)
        && Objects.equals(dependsOn, that.dependsOn)
        && Objects.equals(unlock, that.unlock)
        && Objects.equals(requiredSoakTime, that.requiredSoakTime)
        && Objects.equals(waves, that.waves)
        && Objects.equals(maxParallel, that.maxParallel)
        && Objects.equals(maxUnavailable, that.maxUnavailable)
        && Objects.equals(gates, that.gates)
        && Objects.equals(onFailure, that.onFailure)
        && Objects.equals(timeout, that.timeout)
        && Objects.equals(unreachable, that.unreachable)
        && Objects.equals(maxWait, that.maxWait);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        name,
        selector,
        dependsOn,
        unlock,
        requiredSoakTime,
        waves,
        maxParallel,
        maxUnavailable,
        gates,
        onFailure,
        timeout,
        unreachable,
        maxWait);
  }

  @Override
  public String toString() {
    return "Stage{name="
        + name
        + ", selector="
        + selector
        + ", dependsOn="
        + dependsOn
        + ", unlock="
        + unlock
        + ", requiredSoakTime="
        + requiredSoakTime
        + ", waves="
        + waves
        + ", maxParallel="
        + maxParallel
        + ", maxUnavailable="
        + maxUnavailable
        + ", gates="
        + gates
        + ", onFailure="
        + onFailure
        + ", timeout="
        + timeout
        + "}";
  }
}
