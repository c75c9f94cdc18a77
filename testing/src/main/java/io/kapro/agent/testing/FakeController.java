package io.kapro.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared machinery of the fake controllers: a polling loop over some kinds, status writes through
 * the status subresource, a hold switch that keeps work in its intermediate state, and per-object
 * failures.
 */
abstract class FakeController implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(FakeController.class);

  protected final KubernetesClient client;
  private final Duration tick;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean held = new AtomicBoolean();
  private final Map<String, Failure> failures = new ConcurrentHashMap<>();
  private final Map<String, ConditionalFailure> conditionalFailures = new ConcurrentHashMap<>();
  private Thread thread;

  FakeController(KubernetesClient client, Duration tick) {
    this.client = client;
    this.tick = tick;
  }

  /** The kinds this controller owns. */
  abstract List<ResourceDefinitionContext> kinds();

  /** One reconcile pass over one object. */
  abstract void reconcile(ResourceDefinitionContext ctx, ObjectNode object);

  /** Starts polling on a daemon thread. */
  public synchronized FakeController startPolling() {
    if (running.compareAndSet(false, true)) {
      thread = Thread.ofPlatform().daemon().name(getClass().getSimpleName()).start(this::loop);
    }
    return this;
  }

  /** Keeps objects that started work in their intermediate (progressing) state. */
  public void hold() {
    held.set(true);
  }

  /** Lets held objects finish. */
  public void release() {
    held.set(false);
  }

  boolean held() {
    return held.get();
  }

  /** Fails every further reconcile of the object until {@link #clearFailure}. */
  public void fail(String namespace, String name, Failure failure) {
    failures.put(namespace + "/" + name, failure);
  }

  /** Stops failing the object. */
  public void clearFailure(String namespace, String name) {
    failures.remove(namespace + "/" + name);
    conditionalFailures.remove(namespace + "/" + name);
  }

  /**
   * Fails the object's reconciles while its {@code spec} matches {@code when} (e.g. only at one
   * version, so that a rollback to the previous version succeeds), until {@link #clearFailure}.
   */
  public void failWhen(String namespace, String name, Predicate<JsonNode> when, Failure failure) {
    conditionalFailures.put(namespace + "/" + name, new ConditionalFailure(when, failure));
  }

  Failure failureFor(ObjectNode object) {
    String key =
        object.path("metadata").path("namespace").asText()
            + "/"
            + object.path("metadata").path("name").asText();
    ConditionalFailure conditional = conditionalFailures.get(key);
    if (conditional != null && conditional.when().test(object.path("spec"))) {
      return conditional.failure();
    }
    return failures.get(key);
  }

  private record ConditionalFailure(Predicate<JsonNode> when, Failure failure) {}

  private void loop() {
    while (running.get()) {
      for (ResourceDefinitionContext ctx : kinds()) {
        try {
          for (GenericKubernetesResource r :
              client.genericKubernetesResources(ctx).inAnyNamespace().list().getItems()) {
            reconcile(ctx, tree(r));
          }
        } catch (KubernetesClientException e) {
          LOG.debug(
              "{} pass over {} failed (will retry): {}",
              getClass().getSimpleName(),
              ctx.getKind(),
              e.getMessage());
        } catch (RuntimeException e) {
          LOG.warn("{} pass over {} failed", getClass().getSimpleName(), ctx.getKind(), e);
        }
      }
      try {
        Thread.sleep(tick.toMillis()); // a controller's resync period, not a test wait
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  ObjectNode tree(GenericKubernetesResource r) {
    try {
      return (ObjectNode) JSON.readTree(client.getKubernetesSerialization().asJson(r));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Replaces {@code status} through the status subresource; false on a conflict. */
  boolean writeStatus(ResourceDefinitionContext ctx, ObjectNode object, ObjectNode status) {
    ObjectNode copy = object.deepCopy();
    copy.set("status", status);
    GenericKubernetesResource r =
        client
            .getKubernetesSerialization()
            .convertValue(JSON.convertValue(copy, Map.class), GenericKubernetesResource.class);
    try {
      client
          .genericKubernetesResources(ctx)
          .inNamespace(r.getMetadata().getNamespace())
          .resource(r)
          .updateStatus();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false;
      }
      throw e;
    }
  }

  /** A JSON Patch on the object itself (not status), as controllers do for annotations. */
  void patchObject(ResourceDefinitionContext ctx, ObjectNode object, String patch) {
    client
        .genericKubernetesResources(ctx)
        .inNamespace(object.path("metadata").path("namespace").asText())
        .withName(object.path("metadata").path("name").asText())
        .patch(PatchContext.of(PatchType.JSON), patch);
  }

  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static ResourceDefinitionContext context(
      String group, String version, String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }

  @Override
  public void close() {
    running.set(false);
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
