package io.kapro.hub.events;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * Where reconcilers hand the transitions they derive. Implementations send each event once per
 * subject (by {@link KaproEvent#key()}), however often it is derived.
 */
public interface EventEmitter {
  /** Does nothing: for tests and tools that run reconcilers without events. */
  EventEmitter NONE =
      new EventEmitter() {
        @Override
        public void emit(HasMetadata subject, List<KaproEvent> events) {}

        @Override
        public void note(
            HasMetadata subject, String key, String reason, String message, boolean warning) {}
      };

  /** Sends the events of {@code subject} not sent before (CloudEvents and Kubernetes Events). */
  void emit(HasMetadata subject, List<KaproEvent> events);

  /** Records a Kubernetes Event only (once per subject and {@code key}). */
  void note(HasMetadata subject, String key, String reason, String message, boolean warning);
}
