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
        public <T extends HasMetadata> T emit(T subject, List<KaproEvent> events) {
          return subject;
        }

        @Override
        public void note(
            HasMetadata subject, String key, String reason, String message, boolean warning) {}
      };

  /**
   * Sends the events of {@code subject} not sent before (CloudEvents and Kubernetes Events).
   *
   * @return the subject as written when recording what was sent changed it (its new
   *     resourceVersion: a caller writing it next starts from there, not from a stale copy), else
   *     {@code subject}
   */
  <T extends HasMetadata> T emit(T subject, List<KaproEvent> events);

  /** Records a Kubernetes Event only (once per subject and {@code key}). */
  void note(HasMetadata subject, String key, String reason, String message, boolean warning);
}
