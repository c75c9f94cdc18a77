package io.kapro.agent.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.kapro.agent.config.ManagedKind;
import io.kapro.oci.bundle.ObjectReference;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

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
   * then one watch, re-established by the client after errors) and calls {@code onChange} with its
   * name after every add, update or delete it sees; {@code onFailure} when the watch cannot start
   * (e.g. RBAC without list/watch). Close the returned handle to stop. Needs list/watch on this
   * object only (RBAC {@code resourceNames} authorizes a single-name field selector), at the price
   * of one watch connection per object.
   */
  public AutoCloseable watch(
      ObjectReference ref,
      ManagedKind kind,
      java.util.function.Consumer<String> onChange,
      java.util.function.Consumer<Throwable> onFailure) {
    return start(resource(ref, kind).runnableInformer(0), name -> true, onChange, onFailure);
  }

  /**
   * Watches the objects {@code names} of one kind and version in one namespace with a single
   * informer on the namespace (one list, then one watch connection, however many objects): events
   * of other objects of the namespace are read and dropped, and only the named objects are kept in
   * the informer's cache, so memory follows the managed objects, not the namespace. Needs list and
   * watch on the kind in the whole namespace (RBAC cannot narrow a list by name). {@code onChange}
   * gets the name of the managed object that changed; {@code onFailure} the cause when the watch is
   * refused or cannot start.
   *
   * @param ref any of the objects (gives the API version and namespace)
   */
  public AutoCloseable watchNamespace(
      ObjectReference ref,
      ManagedKind kind,
      Set<String> names,
      java.util.function.Consumer<String> onChange,
      java.util.function.Consumer<Throwable> onFailure) {
    Set<String> only = Set.copyOf(names);
    SharedIndexInformer<GenericKubernetesResource> informer =
        client
            .genericKubernetesResources(context(ref, kind))
            .inNamespace(ref.namespace())
            .runnableInformer(0);
    informer.itemStore(new NamedOnlyStore(only));
    return start(informer, only::contains, onChange, onFailure);
  }

  /** Whether a watch failed to start because the API server refused it (403 Forbidden). */
  public static boolean forbidden(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() == 403) {
        return true;
      }
    }
    return false;
  }

  private static AutoCloseable start(
      SharedIndexInformer<GenericKubernetesResource> informer,
      java.util.function.Predicate<String> mine,
      java.util.function.Consumer<String> onChange,
      java.util.function.Consumer<Throwable> onFailure) {
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(GenericKubernetesResource obj) {
            if (mine.test(obj.getMetadata().getName())) {
              onChange.accept(obj.getMetadata().getName());
            }
          }

          @Override
          public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
            // a re-list after a watch reconnect replays every object unchanged: nothing to judge
            if (mine.test(after.getMetadata().getName())
                && (before == null
                    || !java.util.Objects.equals(
                        before.getMetadata().getResourceVersion(),
                        after.getMetadata().getResourceVersion()))) {
              onChange.accept(after.getMetadata().getName());
            }
          }

          @Override
          public void onDelete(GenericKubernetesResource obj, boolean unknownFinalState) {
            if (mine.test(obj.getMetadata().getName())) {
              onChange.accept(obj.getMetadata().getName());
            }
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

  /**
   * An informer store that keeps only the named objects: the namespace's other objects of the kind
   * pass through (their events reach the handler, which drops them) but are never held.
   */
  static final class NamedOnlyStore implements ItemStore<GenericKubernetesResource> {
    private final Set<String> names;
    private final Map<String, GenericKubernetesResource> items = new ConcurrentHashMap<>();

    NamedOnlyStore(Set<String> names) {
      this.names = names;
    }

    @Override
    public String getKey(GenericKubernetesResource obj) {
      return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public GenericKubernetesResource put(String key, GenericKubernetesResource obj) {
      return names.contains(obj.getMetadata().getName()) ? items.put(key, obj) : items.remove(key);
    }

    @Override
    public GenericKubernetesResource remove(String key) {
      return items.remove(key);
    }

    @Override
    public Stream<String> keySet() {
      return items.keySet().stream();
    }

    @Override
    public Stream<GenericKubernetesResource> values() {
      return items.values().stream();
    }

    @Override
    public int size() {
      return items.size();
    }

    @Override
    public GenericKubernetesResource get(String key) {
      return items.get(key);
    }
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
