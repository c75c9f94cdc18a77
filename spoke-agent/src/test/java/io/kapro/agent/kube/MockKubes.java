package io.kapro.agent.kube;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.kapro.agent.config.ManagedKind;
import io.kapro.agent.testing.MockKube;
import io.kapro.oci.bundle.ObjectReference;
import java.net.URI;

/** The agent's client pointed at fabric8's mock API server, and fabric8 contexts for set-up. */
public final class MockKubes {
  private MockKubes() {}

  private static final java.util.Map<MockKube, KubeClient> CLIENTS = new java.util.WeakHashMap<>();

  /**
   * The agent's client for {@code kube} (plain HTTP on loopback, no credentials), one per mock
   * server.
   */
  public static synchronized KubeClient client(MockKube kube) {
    return CLIENTS.computeIfAbsent(
        kube, k -> new KubeClient(KubeConfig.of(URI.create(k.client().getMasterUrl().toString()))));
  }

  /** fabric8's resource context for a managed kind (test set-up through fabric8's client). */
  public static ResourceDefinitionContext context(ObjectReference ref, ManagedKind kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(kind.group())
        .withVersion(ref.apiVersion().substring(ref.apiVersion().indexOf('/') + 1))
        .withKind(kind.kind())
        .withPlural(kind.plural())
        .withNamespaced(true)
        .build();
  }
}
