/**
 * The PromotionRun reconciler and its adapters: {@link io.kapro.hub.run.RunInputs} reads the run's
 * objects into an {@link io.kapro.hub.engine.EngineInput}, the engine decides, {@link
 * io.kapro.hub.run.RunWriter} and {@link io.kapro.hub.run.RunStatusWriter} apply its decisions to
 * Targets and the run's status, {@link io.kapro.hub.run.WebhookAnswers} calls webhook gates.
 */
package io.kapro.hub.run;
