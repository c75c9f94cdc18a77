package io.kapro.hub.plan;

import io.kapro.api.v1alpha2.OnFailure;
import io.kapro.api.v1alpha2.Unlock;
import java.util.List;

/**
 * One stage of a plan, raw. {@code null} means "the default": unlock All, waves ["100%"],
 * maxParallel unlimited, maxUnavailable 0, onFailure Halt, timeout 1h, no soak. {@code
 * requiredSoakTime} is how long the stage's Targets must stay converged (failures still count)
 * before the stage succeeds and its dependants start. {@code timeout} bounds each Target from the
 * publication of its bundle to convergence.
 */
public record StageSpec(
    String name,
    LabelSelector selector,
    List<String> dependsOn,
    Unlock unlock,
    String requiredSoakTime,
    List<String> waves,
    Integer maxParallel,
    String maxUnavailable,
    List<GateSpec> gates,
    OnFailure onFailure,
    String timeout) {

  public StageSpec {
    dependsOn = Copies.list(dependsOn);
    waves = Copies.list(waves);
    gates = Copies.list(gates);
  }

  /** A stage with defaults everywhere but its name and selector. */
  public static StageSpec named(String name, LabelSelector selector) {
    return new StageSpec(name, selector, null, null, null, null, null, null, null, null, null);
  }

  public StageSpec withDependsOn(String... deps) {
    return new StageSpec(
        name,
        selector,
        List.of(deps),
        unlock,
        requiredSoakTime,
        waves,
        maxParallel,
        maxUnavailable,
        gates,
        onFailure,
        timeout);
  }

  public StageSpec withUnlock(Unlock value) {
    return new StageSpec(
        name,
        selector,
        dependsOn,
        value,
        requiredSoakTime,
        waves,
        maxParallel,
        maxUnavailable,
        gates,
        onFailure,
        timeout);
  }

  public StageSpec withRequiredSoakTime(String value) {
    return new StageSpec(
        name,
        selector,
        dependsOn,
        unlock,
        value,
        waves,
        maxParallel,
        maxUnavailable,
        gates,
        onFailure,
        timeout);
  }

  public StageSpec withWaves(String... value) {
    return new StageSpec(
        name,
        selector,
        dependsOn,
        unlock,
        requiredSoakTime,
        List.of(value),
        maxParallel,
        maxUnavailable,
        gates,
        onFailure,
        timeout);
  }

  public StageSpec withMaxParallel(Integer value) {
    return new StageSpec(
        name,
        selector,
        dependsOn,
        unlock,
        requiredSoakTime,
        waves,
        value,
        maxUnavailable,
        gates,
        onFailure,
        timeout);
  }

  public StageSpec withMaxUnavailable(String value) {
    return new StageSpec(
        name,
        selector,
        dependsOn,
        unlock,
        requiredSoakTime,
        waves,
        maxParallel,
        value,
        gates,
        onFailure,
        timeout);
  }

  public StageSpec withGates(GateSpec... value) {
    return new StageSpec(
        name,
        selector,
        dependsOn,
        unlock,
        requiredSoakTime,
        waves,
        maxParallel,
        maxUnavailable,
        List.of(value),
        onFailure,
        timeout);
  }

  public StageSpec withOnFailure(OnFailure value) {
    return new StageSpec(
        name,
        selector,
        dependsOn,
        unlock,
        requiredSoakTime,
        waves,
        maxParallel,
        maxUnavailable,
        gates,
        value,
        timeout);
  }

  public StageSpec withTimeout(String value) {
    return new StageSpec(
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
        value);
  }
}
