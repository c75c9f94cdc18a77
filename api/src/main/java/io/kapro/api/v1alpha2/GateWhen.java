package io.kapro.api.v1alpha2;

/** When a gate is evaluated. */
public enum GateWhen {
  BeforeStage,
  BeforeEachWave
}
