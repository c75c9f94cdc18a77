package io.kapro.hub.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kapro.api.v1alpha2.ClusterStatus;
import io.kapro.api.v1alpha2.TargetStatus;

/**
 * What a reader of a Target or Cluster status can tell apart, for deciding whether evidence changes
 * anything visible: the status without the bookkeeping every new evidence number would move (the
 * number itself, when it was received or the agent observed it, when the cluster was last seen). A
 * resync of an unchanged state under a new number has the same projection as what is stored.
 */
final class Visible {
  private Visible() {}

  static JsonNode of(KubernetesSerialization json, TargetStatus status) {
    if (status == null) {
      return null;
    }
    JsonNode n = json.convertValue(status, JsonNode.class);
    if (n.get("evidence") instanceof ObjectNode e) {
      e.remove("number");
      e.remove("receivedAt");
      JsonNode units = e.get("units");
      if (units != null) {
        units.forEach(u -> ((ObjectNode) u).remove("observedAt"));
      }
    }
    return n;
  }

  static JsonNode of(KubernetesSerialization json, ClusterStatus status) {
    if (status == null) {
      return null;
    }
    ObjectNode n = (ObjectNode) json.convertValue(status, JsonNode.class);
    n.remove("lastEvidenceNumber");
    n.remove("lastSeen");
    return n;
  }
}
