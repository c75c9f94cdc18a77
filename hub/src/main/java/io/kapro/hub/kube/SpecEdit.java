package io.kapro.hub.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.function.UnaryOperator;

/**
 * The one way the hub edits an object it shares with another writer (a Promotion's spec, written by
 * a CI event, a Source or a SourceGroup, while the Promotion reconciler writes its labels):
 * fabric8's read-modify-write {@code edit}, whose write carries the resourceVersion it read; a
 * conflict (409: someone wrote in between) is answered by applying the change again to a fresh
 * copy, up to {@link #ATTEMPTS} times, then thrown (the caller's own retry takes over). The change
 * must be a function of the copy it is given, since it may run more than once.
 */
public final class SpecEdit {
  /** Edits tried when the object changed under us (409) before the conflict is thrown. */
  public static final int ATTEMPTS = 5;

  private SpecEdit() {}

  public static <T extends HasMetadata> T edit(Resource<T> resource, UnaryOperator<T> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return resource.edit(change);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
