package io.kapro.hub.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events about Kapro objects, named after the object and a stable key so a repeated
 * write of the same transition is a no-op (409). Best effort: a failure is logged, not thrown.
 */
public final class KubeEvents {
  private static final Logger LOG = LoggerFactory.getLogger(KubeEvents.class);
  static final String COMPONENT = "kapro-hub";

  private final KubernetesClient client;
  private final Clock clock;

  public KubeEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void record(
      HasMetadata subject, String id, String reason, String message, boolean warning) {
    String now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    String name =
        subject.getMetadata().getName() + "." + id.substring(0, Math.min(16, id.length()));
    Event e =
        new EventBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(subject.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(subject.getApiVersion())
                    .withKind(subject.getKind())
                    .withName(subject.getMetadata().getName())
                    .withNamespace(subject.getMetadata().getNamespace())
                    .withUid(subject.getMetadata().getUid())
                    .build())
            .withReason(reason)
            .withMessage(message.length() > 1024 ? message.substring(0, 1024) : message)
            .withType(warning ? "Warning" : "Normal")
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent("kapro.io/hub")
            .build();
    try {
      client.v1().events().inNamespace(subject.getMetadata().getNamespace()).resource(e).create();
    } catch (KubernetesClientException ex) {
      if (ex.getCode() != 409) {
        LOG.debug("Event {} on {} not written: {}", reason, name, ex.getMessage());
      }
    }
  }
}
