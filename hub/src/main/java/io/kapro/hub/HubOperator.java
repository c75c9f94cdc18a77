package io.kapro.hub;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.kapro.hub.approval.ApprovalReconciler;
import io.kapro.hub.cluster.ClusterReconciler;
import io.kapro.hub.events.EventEmitter;
import io.kapro.hub.fleet.FleetReconciler;
import io.kapro.hub.metrics.HubMetrics;
import io.kapro.hub.plan.PlanReconciler;
import io.kapro.hub.promotion.PromotionReconciler;
import io.kapro.hub.publish.SigningKeys;
import io.kapro.hub.run.PromotionRunReconciler;
import io.kapro.hub.target.TargetPublisher;
import io.kapro.hub.target.TargetReconciler;
import java.time.Clock;
import java.time.Duration;
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
    operator.register(
        new PromotionReconciler(settings.clock(), settings.resync(), events),
        c -> c.withName("promotion"));
    operator.register(
        new PromotionRunReconciler(settings.clock(), settings.resync(), events, metrics),
        c -> c.withName("promotionrun").withGenerationAware(false));
    operator.register(
        new TargetReconciler(publisher, settings.clock(), events, metrics),
        c -> c.withName("target").withGenerationAware(false).withRetry(PUBLISH_RETRY));
    operator.register(
        new ClusterReconciler(settings.clock()),
        c -> c.withName("cluster").withGenerationAware(false));
    operator.register(
        new ApprovalReconciler(settings.clock(), settings.resync()), c -> c.withName("approval"));
    operator.register(
        new FleetReconciler(settings.clock(), new SigningKeys(client), settings.resync()),
        c -> c.withName("fleet").withGenerationAware(false));
    operator.register(new PlanReconciler(settings.clock()), c -> c.withName("plan"));
    operator.register(
        new io.kapro.hub.source.SourceReconciler(settings.clock()),
        c -> c.withName("source").withGenerationAware(false));
    operator.start();
    return new HubOperator(operator);
  }

  @Override
  public void close() {
    operator.stop();
  }
}
