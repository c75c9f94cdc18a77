package io.kapro.hub.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Fleet;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pending deliveries, kept in the API so a restarted hub resumes them: one ConfigMap {@value #NAME}
 * per namespace, one data key per (event, sink) entry. Keys sort in queue order ({@code
 * <millis><counter>.<event id>.<sink id>}). Every change is a read-modify-write with the
 * resourceVersion, retried on conflict.
 */
public final class Outbox {
  public static final String NAME = "kapro-events-outbox";
  public static final String LABEL = Kapro.PREFIX + "outbox";
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final Clock clock;
  private final int capacity;
  private long last;

  public Outbox(KubernetesClient client, Clock clock, int capacity) {
    this.client = client;
    this.clock = clock;
    this.capacity = capacity;
  }

  /**
   * Namespaces that may have an outbox: those with a Fleet (events are queued in the Fleet's
   * namespace). Found through the Fleets, so the hub needs no cluster-wide access to ConfigMaps.
   */
  public List<String> namespaces() {
    return client.resources(Fleet.class).inAnyNamespace().list().getItems().stream()
        .map(f -> f.getMetadata().getNamespace())
        .distinct()
        .sorted()
        .toList();
  }

  /** The pending entries of a namespace in queue order. */
  public synchronized TreeMap<String, OutboxEntry> read(String namespace) {
    ConfigMap cm = client.configMaps().inNamespace(namespace).withName(NAME).get();
    TreeMap<String, OutboxEntry> out = new TreeMap<>();
    if (cm == null || cm.getData() == null) {
      return out;
    }
    cm.getData()
        .forEach(
            (k, v) -> {
              try {
                out.put(k, JSON.readValue(v, OutboxEntry.class));
              } catch (JsonProcessingException e) {
                LOG.warn(
                    "outbox {}/{}: unreadable entry {} dropped: {}",
                    namespace,
                    NAME,
                    k,
                    e.getOriginalMessage());
              }
            });
    return out;
  }

  /**
   * Queues entries not already pending (same event id and sink). Returns how many were added;
   * entries beyond the capacity are returned to {@code overflow}.
   */
  public synchronized int enqueue(
      String namespace, Collection<OutboxEntry> entries, Consumer<OutboxEntry> overflow) {
    if (entries.isEmpty()) {
      return 0;
    }
    int[] added = {0};
    change(
        namespace,
        data -> {
          added[0] = 0;
          Set<String> pending = new java.util.HashSet<>();
          data.keySet().forEach(k -> pending.add(k.substring(k.indexOf('.') + 1)));
          for (OutboxEntry e : entries) {
            String suffix = e.event().id() + "." + e.sinkId();
            if (pending.contains(suffix)) {
              continue;
            }
            if (data.size() >= capacity) {
              overflow.accept(e);
              continue;
            }
            data.put(nextKey() + "." + suffix, write(e));
            pending.add(suffix);
            added[0]++;
          }
        });
    return added[0];
  }

  /** Replaces or removes entries (null value removes). */
  public synchronized void update(String namespace, Map<String, OutboxEntry> changes) {
    change(
        namespace,
        data ->
            changes.forEach(
                (k, v) -> {
                  if (v == null) {
                    data.remove(k);
                  } else if (data.containsKey(k)) {
                    data.put(k, write(v));
                  }
                }));
  }

  private void change(String namespace, Consumer<Map<String, String>> edit) {
    for (int attempt = 0; ; attempt++) {
      ConfigMap cm = client.configMaps().inNamespace(namespace).withName(NAME).get();
      boolean create = cm == null;
      if (create) {
        cm =
            new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(namespace)
                .withLabels(
                    Map.of(LABEL, "true", Kapro.Labels.MANAGED_BY, Kapro.Labels.MANAGED_BY_VALUE))
                .endMetadata()
                .build();
      }
      Map<String, String> data =
          new LinkedHashMap<>(cm.getData() == null ? Map.of() : cm.getData());
      Map<String, String> before = Map.copyOf(data);
      edit.accept(data);
      if (data.equals(before) && !create) {
        return;
      }
      cm.setData(data);
      try {
        if (create) {
          client.configMaps().inNamespace(namespace).resource(cm).create();
        } else {
          client.configMaps().inNamespace(namespace).resource(cm).update();
        }
        return;
      } catch (KubernetesClientException e) {
        if ((e.getCode() != 409 && e.getCode() != 404) || attempt >= 10) {
          throw e;
        }
        LOG.debug("outbox {}: conflict, retrying", namespace);
      }
    }
  }

  private String nextKey() {
    long now = clock.millis() * 1000;
    last = Math.max(last + 1, now);
    return String.format("%019d", last);
  }

  private static String write(OutboxEntry e) {
    try {
      return JSON.writeValueAsString(e);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("outbox entry not serializable", ex);
    }
  }
}
