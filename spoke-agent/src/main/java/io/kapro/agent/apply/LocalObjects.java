package io.kapro.agent.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kapro.agent.config.ManagedKind;
import io.kapro.oci.bundle.ObjectReference;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Reads, patches (RFC 6902 JSON Patch) and watches the agent's local Flux and Argo CD objects as
 * JSON trees.
 */
public final class LocalObjects {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;

  public LocalObjects(KubernetesClient client) {
    this.client = client;
  }

  /** The API resource for a managed kind at the reference's version. */
  public static ResourceDefinitionContext context(ObjectReference ref, ManagedKind kind) {
    String version = ref.apiVersion().substring(ref.apiVersion().indexOf('/') + 1);
    return new ResourceDefinitionContext.Builder()
        .withGroup(kind.group())
        .withVersion(version)
        .withKind(kind.kind())
        .withPlural(kind.plural())
        .withNamespaced(true)
        .build();
  }

  /** The object as JSON, or empty when it does not exist. */
  public Optional<ObjectNode> get(ObjectReference ref, ManagedKind kind) {
    GenericKubernetesResource r = resource(ref, kind).get();
    return Optional.ofNullable(r).map(this::tree);
  }

  /** Sends RFC 6902 JSON Patch operations and returns the object as stored. */
  public ObjectNode jsonPatch(ObjectReference ref, ManagedKind kind, ArrayNode ops) {
    return tree(resource(ref, kind).patch(PatchContext.of(PatchType.JSON), ops.toString()));
  }

  /**
   * Watches exactly this object (an informer with a {@code metadata.name} field selector: one list,
   * then one watch, re-established by the client after errors) and calls {@code onChange} after
   * every add, update or delete it sees; {@code onFailure} when the watch cannot start (e.g. RBAC
   * without list/watch). Close the returned handle to stop.
   */
  public AutoCloseable watch(
      ObjectReference ref,
      ManagedKind kind,
      Runnable onChange,
      java.util.function.Consumer<Throwable> onFailure) {
    SharedIndexInformer<GenericKubernetesResource> informer =
        resource(ref, kind).runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(GenericKubernetesResource obj) {
            onChange.run();
          }

          @Override
          public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
            // a re-list after a watch reconnect replays every object unchanged: nothing to judge
            if (before == null
                || after == null
                || !java.util.Objects.equals(
                    before.getMetadata().getResourceVersion(),
                    after.getMetadata().getResourceVersion())) {
              onChange.run();
            }
          }

          @Override
          public void onDelete(GenericKubernetesResource obj, boolean unknownFinalState) {
            onChange.run();
          }
        });
    informer
        .start()
        .whenComplete(
            (ok, e) -> {
              if (e != null) {
                informer.close();
                onFailure.accept(e);
              }
            });
    return informer::close;
  }

  private Resource<GenericKubernetesResource> resource(ObjectReference ref, ManagedKind kind) {
    return client
        .genericKubernetesResources(context(ref, kind))
        .inNamespace(ref.namespace())
        .withName(ref.name());
  }

  private ObjectNode tree(GenericKubernetesResource r) {
    try {
      JsonNode node = JSON.readTree(client.getKubernetesSerialization().asJson(r));
      return (ObjectNode) node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
