package io.kapro.agent.apply;

import io.kapro.agent.config.ManagedKind;
import io.kapro.oci.bundle.ObjectReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the objects of one applied bundle with as few watch connections as RBAC allows: one per
 * kind, API version and namespace ({@link LocalObjects#watchNamespace}), so fifty HelmReleases in
 * one namespace cost one watch, not fifty, each with its own connection, keep-alive pings and
 * periodic re-watch ({@link io.kapro.agent.kube.KubeWatch} asks the API server to end a watch after
 * 5 to 10 minutes, as client-go's reflector does). An object alone in its namespace is watched by
 * name ({@link LocalObjects#watch}), which needs no more than list/watch on that name. When the API
 * server refuses the namespace-wide watch (403: the agent's Role limits list/watch to {@code
 * resourceNames}), the group falls back to one watch per object, which that Role allows.
 */
final class BundleObjectsWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BundleObjectsWatch.class);

  private final LocalObjects objects;
  private final java.util.function.Consumer<String> onChange;
  private final BiConsumer<ObjectReference, Throwable> onFailure;
  private final List<AutoCloseable> handles = new ArrayList<>();
  private boolean closed;

  private BundleObjectsWatch(
      LocalObjects objects, Runnable onChange, BiConsumer<ObjectReference, Throwable> onFailure) {
    this.objects = objects;
    this.onChange = name -> onChange.run();
    this.onFailure = onFailure;
  }

  /** One kind at one API version in one namespace. */
  private record Group(String apiVersion, ManagedKind kind, String namespace) {}

  static BundleObjectsWatch start(
      LocalObjects objects,
      List<AppliedObject> applied,
      Runnable onChange,
      BiConsumer<ObjectReference, Throwable> onFailure) {
    Map<Group, List<ObjectReference>> groups = new LinkedHashMap<>();
    for (AppliedObject a : applied) {
      groups
          .computeIfAbsent(
              new Group(a.ref().apiVersion(), a.kind(), a.ref().namespace()),
              g -> new ArrayList<>())
          .add(a.ref());
    }
    BundleObjectsWatch w = new BundleObjectsWatch(objects, onChange, onFailure);
    groups.forEach(w::watch);
    return w;
  }

  private void watch(Group g, List<ObjectReference> refs) {
    if (refs.size() == 1) {
      byName(g, refs);
      return;
    }
    Set<String> names = new LinkedHashSet<>();
    refs.forEach(r -> names.add(r.name()));
    Slot namespace = new Slot();
    AutoCloseable handle =
        objects.watchNamespace(
            refs.get(0),
            g.kind(),
            names,
            onChange,
            e -> {
              if (LocalObjects.forbidden(e)) {
                LOG.info(
                    "no list/watch on all {} in namespace {} ({}); watching each of the {} objects"
                        + " by name instead (one watch connection each; grant list and watch on the"
                        + " kind in the namespace for one: charts/agent rbac.watchNamespace)",
                    g.kind().plural(),
                    g.namespace(),
                    e.getMessage(),
                    refs.size());
                remove(namespace);
                byName(g, refs);
              } else {
                onFailure.accept(refs.get(0), e);
              }
            });
    filled(namespace, handle);
  }

  /** The namespace watch of one group, which may fail before {@code watchNamespace} returns. */
  private static final class Slot {
    AutoCloseable handle;
    boolean failed;
  }

  private synchronized void filled(Slot slot, AutoCloseable handle) {
    slot.handle = handle;
    if (!slot.failed) {
      add(handle);
    }
  }

  /** Drops a watch that failed (its informer closed itself). */
  private synchronized void remove(Slot slot) {
    slot.failed = true;
    if (slot.handle != null) {
      handles.remove(slot.handle);
    }
  }

  private void byName(Group g, List<ObjectReference> refs) {
    for (ObjectReference r : refs) {
      add(objects.watch(r, g.kind(), onChange, e -> onFailure.accept(r, e)));
    }
  }

  private synchronized void add(AutoCloseable handle) {
    if (closed) {
      closeQuietly(handle);
    } else {
      handles.add(handle);
    }
  }

  /** How many watches are open (one per group, or per object after a fallback). */
  synchronized int watches() {
    return handles.size();
  }

  @Override
  public synchronized void close() {
    closed = true;
    handles.forEach(BundleObjectsWatch::closeQuietly);
    handles.clear();
  }

  private static void closeQuietly(AutoCloseable h) {
    try {
      h.close();
    } catch (Exception e) {
      // an informer that fails to stop has nothing left to tell us
    }
  }
}
