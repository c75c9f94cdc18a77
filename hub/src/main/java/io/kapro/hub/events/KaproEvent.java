package io.kapro.hub.events;

import io.kapro.hub.kube.ResourceNames;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One transition of a Promotion, PromotionRun or Target, as the hub reports it. The {@code id} is
 * derived from the subject's UID and the transition's {@code key}, so deriving the same transition
 * again (a retried reconcile, a restarted hub) yields the same id.
 *
 * @param subjectKind kind of the object the event is about (PromotionRun, Target)
 * @param key what distinguishes this transition on its subject (type plus stage/wave/sequence)
 * @param wave 0-based wave, or null
 * @param version the units and versions, as {@code name=version} joined with commas, or null
 */
public record KaproEvent(
    String id,
    EventType type,
    String namespace,
    String subjectKind,
    String subjectName,
    String subjectUid,
    String key,
    String fleet,
    String promotion,
    String run,
    String stage,
    Integer wave,
    String target,
    String cluster,
    String version,
    String message,
    Instant time) {

  public KaproEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(subjectName, "subjectName");
    Objects.requireNonNull(key, "key");
  }

  /** The stable id: a hash of the subject UID (or namespace/kind/name without one) and key. */
  public static String idOf(
      String subjectUid, String namespace, String kind, String name, String key) {
    String subject = subjectUid != null ? subjectUid : namespace + "/" + kind + "/" + name;
    return ResourceNames.sha256(subject + "|" + key).substring(0, 32);
  }

  /** The CloudEvents {@code source}: the namespace and fleet the event belongs to. */
  public String source() {
    return "/kapro/namespaces/" + namespace + (fleet == null ? "" : "/fleets/" + fleet);
  }

  /** The CloudEvents {@code subject}: kind/name of the object. */
  public String subject() {
    return subjectKind.toLowerCase(java.util.Locale.ROOT) + "/" + subjectName;
  }

  /** The event's data (JSON object fields, nulls left out). */
  public Map<String, Object> data() {
    Map<String, Object> d = new LinkedHashMap<>();
    put(d, "namespace", namespace);
    put(d, "fleet", fleet);
    put(d, "promotion", promotion);
    put(d, "run", run);
    put(d, "stage", stage);
    put(d, "wave", wave);
    put(d, "target", target);
    put(d, "cluster", cluster);
    put(d, "version", version);
    put(d, "message", message);
    return d;
  }

  private static void put(Map<String, Object> d, String k, Object v) {
    if (v != null) {
      d.put(k, v);
    }
  }
}
