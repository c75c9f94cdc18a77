package io.kapro.hub.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the hub writes status: read-modify-write of a status subresource with optimistic
 * concurrency: the write is a JSON Patch that sets the resourceVersion it read (a precondition: a
 * stale one is answered 409) and replaces the whole status; on a 409 the change is recomputed on a
 * fresh read. (A patch, not a PUT: fabric8's mock API server ignores the resourceVersion of status
 * PUTs but checks it on patches; kube-apiserver checks both.)
 *
 * <p>Budget (docs/design/api-budget.md): a write from a fresh read is one GET and one PATCH; a
 * write from an informer's cached copy ({@link #update(KubernetesClient, CustomResource,
 * Predicate)}) is one PATCH, and a GET more only when the cache was stale (409); no request at all
 * when the change finds nothing to write.
 */
public final class StatusUpdate {
  private static final Logger LOG = LoggerFactory.getLogger(StatusUpdate.class);
  private static final int ATTEMPTS = 30;
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusUpdate() {}

  /**
   * Applies {@code change} to a fresh copy of the object and writes its status.
   *
   * @param change mutates the object in place; returns false when nothing needs writing
   * @return the object as written (or as read when no write was needed); empty if it does not exist
   */
  public static <T extends CustomResource<?, ?>> Optional<T> update(
      KubernetesClient client, Class<T> type, String namespace, String name, Predicate<T> change) {
    return write(client, type, namespace, name, null, change);
  }

  /**
   * Applies {@code change} to a copy of {@code cached} (an informer's copy, left untouched) and
   * writes its status with the cached resourceVersion as precondition: one PATCH, no read. When the
   * cache was stale (409) the change is recomputed on fresh reads, as {@link
   * #update(KubernetesClient, Class, String, String, Predicate)} does.
   *
   * @return the object as written (or the copy when no write was needed); empty if it is gone
   */
  @SuppressWarnings("unchecked")
  public static <T extends CustomResource<?, ?>> Optional<T> update(
      KubernetesClient client, T cached, Predicate<T> change) {
    T copy = client.getKubernetesSerialization().clone(cached);
    return write(
        client,
        (Class<T>) cached.getClass(),
        cached.getMetadata().getNamespace(),
        cached.getMetadata().getName(),
        copy,
        change);
  }

  private static <T extends CustomResource<?, ?>> Optional<T> write(
      KubernetesClient client,
      Class<T> type,
      String namespace,
      String name,
      T first,
      Predicate<T> change) {
    T held = first;
    for (int attempt = 1; ; attempt++) {
      T current =
          held != null ? held : client.resources(type).inNamespace(namespace).withName(name).get();
      held = null;
      if (current == null) {
        return Optional.empty();
      }
      if (!change.test(current)) {
        return Optional.of(current);
      }
      ArrayNode ops = JSON.createArrayNode();
      ops.addObject()
          .put("op", "replace")
          .put("path", "/metadata/resourceVersion")
          .put("value", current.getMetadata().getResourceVersion());
      ops.addObject()
          .put("op", "add")
          .put("path", "/status")
          .set(
              "value",
              client
                  .getKubernetesSerialization()
                  .convertValue(current.getStatus(), JsonNode.class));
      try {
        return Optional.of(
            // patching the object in hand: fabric8 reads an object it patches by name first
            client
                .resource(current)
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON), ops.toString()));
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return Optional.empty();
        }
        if (e.getCode() != 409 || attempt >= ATTEMPTS) {
          throw new KubernetesClientException(
              "status write of "
                  + type.getSimpleName()
                  + " "
                  + namespace
                  + "/"
                  + name
                  + " failed after "
                  + attempt
                  + " attempt(s): "
                  + e.getMessage(),
              e);
        }
        LOG.debug(
            "{} {}/{}: conflict, retrying on a fresh read", type.getSimpleName(), namespace, name);
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1_000_000L * attempt));
      }
    }
  }
}
