package io.kapro.agent.tls;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * How the agent writes its own Secrets (credentials, high-water mark): update when the Secret
 * exists (the chart creates both, empty, so the agent needs no {@code create} on Secrets, which
 * Kubernetes cannot narrow by name), create only when it does not. An existing Secret keeps its
 * type (immutable in Kubernetes).
 */
public final class SecretWrites {
  private SecretWrites() {}

  /** Writes {@code secret} (namespace and name in its metadata). */
  public static void createOrUpdate(KubernetesClient client, Secret secret) {
    var ops = client.secrets().inNamespace(secret.getMetadata().getNamespace());
    Secret existing = ops.withName(secret.getMetadata().getName()).get();
    if (existing == null) {
      ops.resource(secret).create();
      return;
    }
    secret.setType(existing.getType());
    secret.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
    ops.resource(secret).update();
  }
}
