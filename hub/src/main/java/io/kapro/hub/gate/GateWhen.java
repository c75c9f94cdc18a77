package io.kapro.hub.gate;

/** Whether a gate holds only a stage's first wave (the default) or every wave. */
public enum GateWhen {
  BeforeStage,
  BeforeEachWave
}
