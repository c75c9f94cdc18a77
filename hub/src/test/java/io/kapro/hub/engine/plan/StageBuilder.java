package io.kapro.hub.engine.plan;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.kapro.api.v1alpha2.OnFailure;
import io.kapro.api.v1alpha2.Stage;
import io.kapro.api.v1alpha2.Unlock;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a Plan stage for tests. {@code null} means "the default": unlock All, waves ["100%"],
 * maxParallel unlimited, maxUnavailable 0, onFailure Halt, timeout 1h, no soak. A numeric
 * maxUnavailable becomes an int, anything else a string, as a YAML manifest would give it.
 */
public record StageBuilder(
    String name,
    SelectorBuilder selector,
    List<String> dependsOn,
    Unlock unlock,
    String requiredSoakTime,
    List<String> waves,
    Integer maxParallel,
    String maxUnavailable,
    List<GateBuilder> gates,
    OnFailure onFailure,
    String timeout) {

  public StageBuilder {
    dependsOn = Copies.list(dependsOn);
    waves = Copies.list(waves);
    gates = Copies.list(gates);
  }

  /** A stage with defaults everywhere but its name and selector. */
  public static StageBuilder named(String name, SelectorBuilder selector) {
    return new StageBuilder(name, selector, null, null, null, null, null, null, null, null, null);
  }

  public StageBuilder withDependsOn(String... deps) {
    return new StageBuilder(
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

  public StageBuilder withUnlock(Unlock value) {
    return new StageBuilder(
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

  public StageBuilder withRequiredSoakTime(String value) {
    return new StageBuilder(
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

  public StageBuilder withWaves(String... value) {
    return new StageBuilder(
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

  public StageBuilder withMaxParallel(Integer value) {
    return new StageBuilder(
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

  public StageBuilder withMaxUnavailable(String value) {
    return new StageBuilder(
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

  public StageBuilder withGates(GateBuilder... value) {
    return new StageBuilder(
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

  public StageBuilder withOnFailure(OnFailure value) {
    return new StageBuilder(
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

  public StageBuilder withTimeout(String value) {
    return new StageBuilder(
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

  /** The api stage. */
  public Stage toApi() {
    Stage s = new Stage();
    s.setName(name);
    s.setSelector(selector == null ? null : selector.toApi());
    s.setDependsOn(dependsOn.isEmpty() ? null : new ArrayList<>(dependsOn));
    s.setUnlock(unlock);
    s.setRequiredSoakTime(requiredSoakTime);
    s.setWaves(waves.isEmpty() ? null : new ArrayList<>(waves));
    s.setMaxParallel(maxParallel);
    if (maxUnavailable != null) {
      s.setMaxUnavailable(
          maxUnavailable.matches("\\d{1,9}")
              ? new IntOrString(Integer.parseInt(maxUnavailable))
              : new IntOrString(maxUnavailable));
    }
    if (!gates.isEmpty()) {
      List<io.kapro.api.v1alpha2.Gate> out = new ArrayList<>();
      gates.forEach(g -> out.add(g == null ? null : g.toApi()));
      s.setGates(out);
    }
    s.setOnFailure(onFailure);
    s.setTimeout(timeout);
    return s;
  }
}
