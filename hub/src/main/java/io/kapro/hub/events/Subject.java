package io.kapro.hub.events;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kapro.api.Kapro;
import java.time.Instant;
import java.util.Map;

/** The object events are about, with the labels every event of it repeats. */
record Subject(
    String kind,
    String namespace,
    String name,
    String uid,
    String fleet,
    String promotion,
    String run,
    String version) {

  static Subject of(HasMetadata o, String run, String version) {
    Map<String, String> labels =
        o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
    return new Subject(
        o.getKind(),
        o.getMetadata().getNamespace(),
        o.getMetadata().getName(),
        o.getMetadata().getUid(),
        labels.get(Kapro.Labels.FLEET),
        labels.get(Kapro.Labels.PROMOTION),
        run,
        version);
  }

  KaproEvent event(
      EventType type,
      String key,
      String stage,
      Integer wave,
      String target,
      String cluster,
      String message,
      Instant time) {
    return new KaproEvent(
        KaproEvent.idOf(uid, namespace, kind, name, key),
        type,
        namespace,
        kind,
        name,
        uid,
        key,
        fleet,
        promotion,
        run,
        stage,
        wave,
        target,
        cluster,
        version,
        message,
        time);
  }
}
