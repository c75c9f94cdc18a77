package io.kapro.hub.publish;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-modify-write of a status subresource with optimistic concurrency: the write carries the
 * resourceVersion it read, a 409 means someone else wrote first, and the change is recomputed on a
 * fresh read.
 */
public final class StatusUpdate {
  private static final Logger LOG = LoggerFactory.getLogger(StatusUpdate.class);
  private static final int ATTEMPTS = 30;

  private StatusUpdate() {}

  /**
   * Applies {@code change} to a fresh copy of the object and writes its status.
   *
   * @param change mutates the object in place; returns false when nothing needs writing
   * @return the object as written (or as read when no write was needed); empty if it does not exist
   */
  public static <T extends HasMetadata> Optional<T> update(
      KubernetesClient client, Class<T> type, String namespace, String name, Predicate<T> change) {
    for (int attempt = 1; ; attempt++) {
      T current = client.resources(type).inNamespace(namespace).withName(name).get();
      if (current == null) {
        return Optional.empty();
      }
      if (!change.test(current)) {
        return Optional.of(current);
      }
      try {
        return Optional.of(client.resource(current).updateStatus());
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= ATTEMPTS) {
          throw new PublishException(
              PublishException.Reason.STATUS_WRITE_FAILED,
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
