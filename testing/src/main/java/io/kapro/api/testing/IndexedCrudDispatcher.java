package io.kapro.api.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesResponseComposer;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import java.lang.reflect.Field;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.regex.Pattern;

/**
 * fabric8's CRUD dispatcher with indexes, so that a get, a patch, an update and a list by label
 * take time that does not grow with the number of stored objects (fabric8's store answers each of
 * them by testing every stored object against the request). Reads and writes keep fabric8's
 * semantics: the same store, the same handlers for create / update / patch, the same watch events;
 * only the lookup of the objects a request concerns goes through {@link ObjectIndex}, and each
 * candidate is still checked with fabric8's own matcher. Requests the indexes cannot narrow (no
 * kind in the path, watches, deletes) take fabric8's path unchanged.
 *
 * <p>The index is kept in step with the store in {@link #processEvent}, the one method through
 * which fabric8's handlers change it, under fabric8's write lock; lookups run under its read lock.
 */
class IndexedCrudDispatcher extends KubernetesCrudDispatcher {
  /** A resource path with group, version and plural: a list of it is a list, never discovery. */
  private static final Pattern RESOURCE_PATH =
      Pattern.compile("^/(?:api/[^/]+|apis/[^/]+/[^/]+)/(?:namespaces/[^/]+/)?[^/]+/?$");

  private final ObjectIndex index = new ObjectIndex();
  private final ReadWriteLock lock;
  private final AtomicLong resourceVersion;
  private final KubernetesAttributesExtractor extractor;

  IndexedCrudDispatcher() {
    super(List.of());
    this.lock = field("lock", ReadWriteLock.class);
    this.resourceVersion = field("resourceVersion", AtomicLong.class);
    this.extractor = (KubernetesAttributesExtractor) attributeExtractor;
  }

  /** fabric8 keeps its lock and resource version counter private; the index must share both. */
  private <T> T field(String name, Class<T> type) {
    try {
      Field f = KubernetesCrudDispatcher.class.getDeclaredField(name);
      f.setAccessible(true);
      return type.cast(f.get(this));
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "fabric8's KubernetesCrudDispatcher has no field '"
              + name
              + "' of type "
              + type.getSimpleName()
              + " (a fabric8 upgrade?): the local API server's index needs it; see"
              + " IndexedCrudDispatcher",
          e);
    }
  }

  @Override
  public MockResponse handleGet(String path) {
    MockResponse indexed = isWatch(path) ? null : indexedGet(path);
    return indexed != null ? indexed : super.handleGet(path);
  }

  /** A get or list answered from the index, or null where only fabric8's full scan can answer. */
  private MockResponse indexedGet(String path) {
    AttributeSet query = attributeExtractor.fromPath(path);
    List<String> items = new ArrayList<>();
    Lock read = lock.readLock();
    read.lock();
    try {
      Collection<AttributeSet> candidates = index.candidates(query);
      if (candidates == null) {
        return null;
      }
      for (AttributeSet key : candidates) {
        if (key.matches(query)) {
          items.add(map.get(key));
        }
      }
      if (query.containsKey(KubernetesAttributesExtractor.NAME)) {
        return items.isEmpty()
            ? new MockResponse().setResponseCode(HttpURLConnection.HTTP_NOT_FOUND)
            : new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(items.get(0));
      }
      if (!items.isEmpty() || RESOURCE_PATH.matcher(pathOnly(path)).matches()) {
        return new MockResponse()
            .setResponseCode(HttpURLConnection.HTTP_OK)
            .setBody(
                ((KubernetesResponseComposer) responseComposer)
                    .compose(items, String.valueOf(resourceVersion.get())));
      }
    } finally {
      read.unlock();
    }
    return null;
  }

  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
    // called by fabric8's handlers with its lock held
    Collection<AttributeSet> candidates = index.candidates(attributes);
    if (candidates == null) {
      return super.findResource(attributes);
    }
    for (AttributeSet key : candidates) {
      if (key.matches(attributes)) {
        String value = map.get(key);
        if (value != null) {
          return Map.entry(key, value);
        }
      }
    }
    return null;
  }

  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    // called by fabric8's handlers with its write lock held
    if (oldAttributes != null) {
      index.remove(oldAttributes);
    }
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    if (newState != null) {
      // the key fabric8 stored the new state under, computed the way it computes it
      AttributeSet key =
          resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
      if (!key.containsKey(KubernetesAttributesExtractor.PLURAL)) {
        key = AttributeSet.merge(pathAttributes, key);
      }
      index.add(key);
    }
  }

  @Override
  public void reset() {
    Lock write = lock.writeLock();
    write.lock();
    try {
      super.reset();
      index.clear();
    } finally {
      write.unlock();
    }
  }

  /** True when the index holds exactly the store's keys (for tests). */
  boolean indexMatchesStore() {
    Lock read = lock.readLock();
    read.lock();
    try {
      return index.all().equals(new java.util.HashSet<>(map.keySet()));
    } finally {
      read.unlock();
    }
  }

  private static boolean isWatch(String path) {
    int q = path.indexOf('?');
    return q >= 0 && path.substring(q).contains("watch=true");
  }

  private static String pathOnly(String path) {
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }
}
