package io.kapro.hub.engine.purity;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URL;

/**
 * Breaks the engine's import rule on purpose (a class in an engine package that uses the network
 * and the Kubernetes client), so that {@code EngineImportRuleTest} can show the rule reports it.
 * Test sources only; never called.
 */
public final class NetworkUsingStep {
  private NetworkUsingStep() {}

  static Object fetch(KubernetesClient client, URL url) throws IOException {
    return client == null ? url.openStream() : client.getMasterUrl();
  }
}
