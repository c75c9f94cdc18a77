package io.kapro.agent.tls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kapro.agent.kube.KubeClient;
import io.kapro.agent.kube.ResourcePath;
import io.kapro.api.KaproSecrets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How the agent reads and writes its own Secrets (credentials, high-water mark): update when the
 * Secret exists (the chart creates both, empty, so the agent needs no {@code create} on Secrets,
 * which Kubernetes cannot narrow by name), create only when it does not. An existing Secret keeps
 * its type (immutable in Kubernetes). The Secret has the shape of {@link KaproSecrets} (labels,
 * base64 text values), written as a JSON tree.
 */
public final class SecretWrites {
  private SecretWrites() {}

  /**
   * The text values of a Secret's {@code data} (base64-decoded; a value that is not base64 is left
   * out), or empty when the Secret does not exist.
   */
  public static Optional<Map<String, String>> read(
      KubeClient client, String namespace, String name) {
    return client
        .get(ResourcePath.secrets(namespace), name)
        .map(
            s -> {
              Map<String, String> text = new LinkedHashMap<>();
              s.path("data")
                  .fields()
                  .forEachRemaining(
                      e -> {
                        try {
                          text.put(e.getKey(), KaproSecrets.decode(e.getValue().asText()));
                        } catch (IllegalArgumentException bad) {
                          // not base64: treated as absent
                        }
                      });
              return text;
            });
  }

  /** Writes {@code text} (UTF-8, base64 in {@code data}) to the Secret {@code namespace/name}. */
  public static void createOrUpdate(
      KubeClient client,
      String namespace,
      String name,
      String component,
      String type,
      Map<String, String> text) {
    ResourcePath secrets = ResourcePath.secrets(namespace);
    ObjectNode secret = JsonNodeFactory.instance.objectNode();
    secret.put("apiVersion", "v1").put("kind", "Secret");
    ObjectNode meta = secret.putObject("metadata").put("namespace", namespace).put("name", name);
    meta.putObject("labels")
        .put(KaproSecrets.LABEL_PART_OF, "kapro")
        .put(KaproSecrets.LABEL_COMPONENT, component);
    ObjectNode data = secret.putObject("data");
    text.forEach((k, v) -> data.put(k, KaproSecrets.encode(v)));
    Optional<ObjectNode> existing = client.get(secrets, name);
    if (existing.isEmpty()) {
      secret.put("type", type);
      client.create(secrets, secret);
      return;
    }
    JsonNode old = existing.get();
    secret.put("type", old.path("type").asText(type));
    meta.put("resourceVersion", old.path("metadata").path("resourceVersion").asText());
    client.update(secrets, secret);
  }
}
