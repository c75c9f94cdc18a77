package io.kapro.hub;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.kapro.api.v1alpha2.Approval;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.Plan;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.Target;
import io.kapro.hub.approval.ApprovalReconciler;
import io.kapro.hub.cluster.ClusterReconciler;
import io.kapro.hub.events.EventEmitter;
import io.kapro.hub.fleet.FleetReconciler;
import io.kapro.hub.metrics.HubMetrics;
import io.kapro.hub.plan.PlanReconciler;
import io.kapro.hub.promotion.PromotionReconciler;
import io.kapro.hub.publish.SigningKeys;
import io.kapro.hub.run.PromotionRunReconciler;
import io.kapro.hub.shard.ShardGate;
import io.kapro.hub.shard.ShardKeys;
import io.kapro.hub.shard.ShardOwnership;
import io.kapro.hub.target.TargetPublisher;
import io.kapro.hub.target.TargetReconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The hub's controllers on one JOSDK {@link Operator}: Promotion, PromotionRun, Target, Cluster and
 * Approval. Primary resources are patched without server-side apply.
 */
public final class HubOperator implements AutoCloseable {
  /**
   * Clock for the engine and status times; {@code resync}: the longest a live run waits between
   * steps.
   */
  public record Settings(Clock clock, Duration resync) {
    public static Settings defaults() {
      return new Settings(Clock.systemUTC(), Duration.ofSeconds(30));
    }
  }

  /**
   * Retries of a failed Target reconcile (a publish while the registry is down): 1 s, growing by
   * half each time to at most 30 s, and never giving up. JOSDK's default gives up after 5 attempts
   * (about 20 s), and nothing reconciles the Target again until an unrelated event, so a registry
   * outage longer than that left the Target in Publishing for good (found by the fault matrix,
   * issue 12).
   */
  static final GenericRetry PUBLISH_RETRY =
      new GenericRetry()
          .setInitialInterval(1000)
          .setIntervalMultiplier(1.5)
          .setMaxInterval(30_000)
          .withoutMaxAttempts();

  private final Operator operator;

  private HubOperator(Operator operator) {
    this.operator = operator;
  }

  public static HubOperator start(
      KubernetesClient client, TargetPublisher publisher, Settings settings) {
    return start(client, publisher, settings, EventEmitter.NONE, new HubMetrics());
  }

  /**
   * Starts the controllers; they hand transitions to {@code events} (see {@link
   * io.kapro.hub.events.HubEvents}) and record phases and publish latency in {@code metrics}.
   */
  public static HubOperator start(
      KubernetesClient client,
      TargetPublisher publisher,
      Settings settings,
      EventEmitter events,
      HubMetrics metrics) {
    return start(client, publisher, settings, events, metrics, Optional.empty());
  }

  /**
   * As {@link #start(KubernetesClient, TargetPublisher, Settings, EventEmitter, HubMetrics)}; with
   * a leader election configuration the reconcilers run only on the replica holding the lease.
   */
  public static HubOperator start(
      KubernetesClient client,
      TargetPublisher publisher,
      Settings settings,
      EventEmitter events,
      HubMetrics metrics,
      Optional<LeaderElectionConfiguration> leaderElection) {
    return start(client, publisher, settings, events, metrics, leaderElection, ShardOwnership.ALL);
  }

  /**
   * As above; each reconciler acts only on the objects of the shards {@code shards} says this
   * replica owns (see {@link io.kapro.hub.shard}), and a shard taken over is reconciled at once:
   * every object of it in the informer caches gets an event.
   */
  public static HubOperator start(
      KubernetesClient client,
      TargetPublisher publisher,
      Settings settings,
      EventEmitter events,
      HubMetrics metrics,
      Optional<LeaderElectionConfiguration> leaderElection,
      ShardOwnership shards) {
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withCloseClientOnStop(false)
                  .withStopOnInformerErrorDuringStartup(true)
                  .withCacheSyncTimeout(Duration.ofSeconds(30));
              leaderElection.ifPresent(o::withLeaderElectionConfiguration);
            });
    List<RegisteredController<?>> controllers = new ArrayList<>();
    controllers.add(
        operator.register(
            new PromotionGate(
                new PromotionReconciler(settings.clock(), settings.resync(), events), shards),
            c -> c.withName("promotion")));
    controllers.add(
        operator.register(
            new PromotionRunGate(
                new PromotionRunReconciler(settings.clock(), settings.resync(), events, metrics),
                shards),
            c -> c.withName("promotionrun").withGenerationAware(false)));
    controllers.add(
        operator.register(
            new TargetGate(
                new TargetReconciler(publisher, settings.clock(), events, metrics), shards),
            c ->
                c.withName("target")
                    .withGenerationAware(false)
                    .withRetry(PUBLISH_RETRY)
                    .withOnUpdateFilter(TargetReconciler::reactsTo)));
    controllers.add(
        operator.register(
            new ClusterGate(new ClusterReconciler(settings.clock()), shards),
            c -> c.withName("cluster").withGenerationAware(false)));
    controllers.add(
        operator.register(
            new ApprovalGate(new ApprovalReconciler(settings.clock(), settings.resync()), shards),
            c -> c.withName("approval")));
    controllers.add(
        operator.register(
            new FleetGate(
                new FleetReconciler(settings.clock(), new SigningKeys(client), settings.resync()),
                shards),
            c -> c.withName("fleet").withGenerationAware(false)));
    controllers.add(
        operator.register(
            new PlanGate(new PlanReconciler(settings.clock()), shards), c -> c.withName("plan")));
    controllers.add(
        operator.register(
            new SourceGate(new io.kapro.hub.source.SourceReconciler(settings.clock()), shards),
            c -> c.withName("source").withGenerationAware(false)));
    controllers.add(
        operator.register(
            new SourceGroupGate(
                new io.kapro.hub.source.SourceGroupReconciler(settings.clock()), shards),
            // generation-aware: its own status writes need no second look
            c -> c.withName("sourcegroup")));
    shards.onAcquired(shard -> controllers.forEach(c -> reconcileShard(c, shard, shards)));
    operator.start();
    return new HubOperator(operator);
  }

  /** Queues every cached object of {@code shard} for {@code registered}'s reconciler. */
  private static <P extends HasMetadata> void reconcileShard(
      RegisteredController<P> registered, int shard, ShardOwnership shards) {
    if (!(registered instanceof Controller<P> controller)) {
      return;
    }
    var processor = controller.getEventProcessor();
    if (processor == null || !processor.isRunning()) {
      return; // not started yet: its start-up lists and reconciles everything anyway
    }
    controller
        .getEventSourceManager()
        .getControllerEventSource()
        .list()
        .filter(r -> ShardKeys.shardOf(r, shards.shards()) == shard || shards.shards() == 1)
        .forEach(r -> processor.handleEvent(new Event(ResourceID.fromResource(r))));
  }

  /**
   * The shard gate in front of the {@code Promotion} reconciler (a named class: JOSDK keys on it).
   */
  static final class PromotionGate extends ShardGate<Promotion> {
    PromotionGate(Reconciler<Promotion> delegate, ShardOwnership shards) {
      super(delegate, shards);
    }
  }

  /**
   * The shard gate in front of the {@code PromotionRun} reconciler (a named class: JOSDK keys on
   * it).
   */
  static final class PromotionRunGate extends ShardGate<PromotionRun> {
    PromotionRunGate(Reconciler<PromotionRun> delegate, ShardOwnership shards) {
      super(delegate, shards);
    }
  }

  /** The shard gate in front of the {@code Target} reconciler (a named class: JOSDK keys on it). */
  static final class TargetGate extends ShardGate<Target> {
    TargetGate(Reconciler<Target> delegate, ShardOwnership shards) {
      super(delegate, shards);
    }
  }

  /**
   * The shard gate in front of the {@code Cluster} reconciler (a named class: JOSDK keys on it).
   */
  static final class ClusterGate extends ShardGate<Cluster> {
    ClusterGate(Reconciler<Cluster> delegate, ShardOwnership shards) {
      super(delegate, shards);
    }
  }

  /**
   * The shard gate in front of the {@code Approval} reconciler (a named class: JOSDK keys on it).
   */
  static final class ApprovalGate extends ShardGate<Approval> {
    ApprovalGate(Reconciler<Approval> delegate, ShardOwnership shards) {
      super(delegate, shards);
    }
  }

  /** The shard gate in front of the {@code Fleet} reconciler (a named class: JOSDK keys on it). */
  static final class FleetGate extends ShardGate<Fleet> {
    FleetGate(Reconciler<Fleet> delegate, ShardOwnership shards) {
      super(delegate, shards);
    }
  }

  /** The shard gate in front of the {@code Plan} reconciler (a named class: JOSDK keys on it). */
  static final class PlanGate extends ShardGate<Plan> {
    PlanGate(Reconciler<Plan> delegate, ShardOwnership shards) {
      super(delegate, shards);
    }
  }

  /** The shard gate in front of the {@code Source} reconciler (a named class: JOSDK keys on it). */
  static final class SourceGate extends ShardGate<io.kapro.api.v1alpha2.Source> {
    SourceGate(Reconciler<io.kapro.api.v1alpha2.Source> delegate, ShardOwnership shards) {
      super(delegate, shards);
    }
  }

  /**
   * The shard gate in front of the {@code SourceGroup} reconciler (a named class: JOSDK keys on
   * it).
   */
  static final class SourceGroupGate extends ShardGate<io.kapro.api.v1alpha2.SourceGroup> {
    SourceGroupGate(Reconciler<io.kapro.api.v1alpha2.SourceGroup> delegate, ShardOwnership shards) {
      super(delegate, shards);
    }
  }

  @Override
  public void close() {
    operator.stop();
  }
}
