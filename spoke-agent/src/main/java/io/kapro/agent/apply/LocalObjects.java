package io.kapro.agent.apply;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kapro.agent.config.ManagedKind;
import io.kapro.agent.kube.KubeClient;
import io.kapro.agent.kube.KubeException;
import io.kapro.agent.kube.KubeWatch;
import io.kapro.agent.kube.ResourcePath;
import io.kapro.oci.bundle.ObjectReference;
import java.util.Optional;
import java.util.Set;

/**
 * Reads, patches (RFC 6902 JSON Patch) and watches the agent's local Flux and Argo CD objects as
 * JSON trees.
 */
public final class LocalObjects {
  private final KubeClient client;

  public LocalObjects(KubeClient client) {
    this.client = client;
  }

  /** The API resource for a managed kind at the reference's version, in its namespace. */
  public static ResourcePath resource(ObjectReference ref, ManagedKind kind) {
    String version = ref.apiVersion().substring(ref.apiVersion().indexOf('/') + 1);
    return new ResourcePath(kind.group(), version, kind.plural(), ref.namespace());
  }

  /** The object as JSON, or empty when it does not exist. */
  public Optional<ObjectNode> get(ObjectReference ref, ManagedKind kind) {
    return client.get(resource(ref, kind), ref.name());
  }

  /** Sends RFC 6902 JSON Patch operations and returns the object as stored. */
  public ObjectNode jsonPatch(ObjectReference ref, ManagedKind kind, ArrayNode ops) {
    return client.jsonPatch(resource(ref, kind), ref.name(), ops);
  }

  /**
   * Watches exactly this object (a list and a watch with a {@code metadata.name} field selector,
   * re-established after errors: {@link KubeWatch}) and calls {@code onChange} with its name after
   * every add, update or delete it sees; {@code onFailure} when the watch cannot start (e.g. RBAC
   * without list/watch). Close the returned handle to stop. Needs list/watch on this object only
   * (RBAC {@code resourceNames} authorizes a single-name field selector), at the price of one watch
   * connection per object.
   */
  public AutoCloseable watch(
      ObjectReference ref,
      ManagedKind kind,
      java.util.function.Consumer<String> onChange,
      java.util.function.Consumer<Throwable> onFailure) {
    return KubeWatch.start(
        client,
        resource(ref, kind),
        "metadata.name=" + ref.name(),
        ref.name()::equals,
        onChange,
        onFailure);
  }

  /**
   * Watches the objects {@code names} of one kind and version in one namespace with a single watch
   * on the namespace (one list, then one watch connection, however many objects): events of other
   * objects of the namespace are read and dropped, and only the named objects are remembered, so
   * memory follows the managed objects, not the namespace. Needs list and watch on the kind in the
   * whole namespace (RBAC cannot narrow a list by name). {@code onChange} gets the name of the
   * managed object that changed; {@code onFailure} the cause when the watch is refused or cannot
   * start.
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
    return KubeWatch.start(client, resource(ref, kind), null, only::contains, onChange, onFailure);
  }

  /** Whether a watch failed to start because the API server refused it (403 Forbidden). */
  public static boolean forbidden(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubeException k && k.forbidden()) {
        return true;
      }
    }
    return false;
  }
}
