package io.kapro.agent.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.kapro.api.testing.ApiKind;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * fabric8's mock API server in CRUD mode on 127.0.0.1, with the Flux and Argo CD kinds registered
 * (status subresource on), plus one-shot fault injection ({@link #failNextPatch}). It bumps {@code
 * metadata.generation} on spec changes and enforces {@code resourceVersion} like the real API
 * server. Plain class, usable outside JUnit.
 */
public final class MockKube implements AutoCloseable {
  /** The versions registered for each kind. */
  public static final List<String[]> VERSIONS =
      List.of(
          new String[] {"OCIRepository", "v1beta2"},
          new String[] {"OCIRepository", "v1"},
          new String[] {"GitRepository", "v1"},
          new String[] {"HelmRelease", "v2"},
          new String[] {"Kustomization", "v1"},
          new String[] {"Application", "v1alpha1"});

  private final KubernetesMockServer server;
  private final KubernetesClient client;

  public MockKube() {
    List<CustomResourceDefinitionContext> crds =
        VERSIONS.stream()
            .map(
                v -> {
                  ApiKind kind =
                      ApiKind.FLUX_AND_ARGO.stream()
                          .filter(k -> k.kind().equals(v[0]))
                          .findFirst()
                          .orElseThrow();
                  return new CustomResourceDefinitionContext.Builder()
                      .withGroup(kind.group())
                      .withVersion(v[1])
                      .withKind(kind.kind())
                      .withPlural(kind.plural())
                      .withScope("Namespaced")
                      .withStatusSubresource(true)
                      .build();
                })
            .toList();
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            expectations,
            new KubernetesMixedDispatcher(expectations, crds),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
  }

  /** A client for the mock API server (closed with it). */
  public KubernetesClient client() {
    return client;
  }

  /** The mock server itself, for expectations a test sets up (pages, watch events). */
  public KubernetesMockServer server() {
    return server;
  }

  /** A fresh client, for a second actor such as a fake controller. */
  public KubernetesClient newClient() {
    return server.createClient();
  }

  /**
   * Fault injection: the next PATCH of {@code path} (e.g. {@code
   * /apis/argoproj.io/v1alpha1/namespaces/argocd/applications/podinfo}) is answered with {@code
   * code} and a Kubernetes Status carrying {@code message}; later requests go to the CRUD store.
   * Use a 4xx code: fabric8's client retries 5xx answers on its own.
   */
  public void failNextPatch(String path, int code, String message) {
    String status =
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":"
            + code
            + ",\"message\":\""
            + message.replace("\"", "'")
            + "\"}";
    server.expect().patch().withPath(path).andReturn(code, status).once();
  }

  /**
   * Fault injection: the next {@code times} GETs of {@code path} (e.g. {@code
   * /api/v1/namespaces/kapro-system/secrets/kapro-agent-state}) are answered with {@code code}
   * (e.g. 403, as RBAC answers) and a Kubernetes Status; later requests go to the CRUD store.
   */
  public void failGets(String path, int code, String message, int times) {
    String status =
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":"
            + code
            + ",\"message\":\""
            + message.replace("\"", "'")
            + "\"}";
    server.expect().get().withPath(path).andReturn(code, status).times(times);
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
