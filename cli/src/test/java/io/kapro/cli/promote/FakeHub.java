package io.kapro.cli.promote;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionPhase;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.PromotionStatus;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.cli.Fleets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A test double for the hub's promotion reconcilers: when a Promotion appears it stamps a run,
 * points the Promotion at it, sets the run Running, and after a short while writes the final phase
 * the test asked for, through the status subresource as the hub will.
 */
final class FakeHub implements AutoCloseable {
  private final KubernetesClient client;
  private final RunPhase outcome;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final SharedIndexInformer<Promotion> informer;

  /**
   * @param outcome the phase every run ends in, or null to leave runs Running forever
   */
  FakeHub(KubernetesClient client, RunPhase outcome) {
    this.client = client;
    this.outcome = outcome;
    this.informer =
        client
            .resources(Promotion.class)
            .inNamespace(Fleets.NS)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Promotion p) {
                    timer.execute(() -> start(p));
                  }

                  @Override
                  public void onUpdate(Promotion oldObj, Promotion newObj) {}

                  @Override
                  public void onDelete(Promotion obj, boolean deletedFinalStateUnknown) {}
                });
  }

  private void start(Promotion p) {
    String runName = p.getMetadata().getName() + "-r1";
    PromotionRun run =
        Fleets.run(
            client,
            runName,
            p.getSpec().getFleet(),
            p.getSpec().getUnits().get(0).getVersion(),
            RunPhase.Running);
    Fleets.setPhase(
        client,
        run,
        RunPhase.Running,
        List.of(
            Fleets.stage("dev", StagePhase.Running, 0),
            Fleets.stage("prod", StagePhase.Pending, 0)));
    Promotion fresh = client.resource(p).get();
    PromotionStatus st = new PromotionStatus();
    st.setPhase(PromotionPhase.Running);
    st.setCurrentRun(runName);
    fresh.setStatus(st);
    client.resource(fresh).updateStatus();
    if (outcome != null) {
      timer.schedule(
          () -> {
            StagePhase last =
                outcome == RunPhase.Succeeded ? StagePhase.Succeeded : StagePhase.Failed;
            Fleets.setPhase(
                client,
                run,
                outcome,
                List.of(
                    Fleets.stage("dev", StagePhase.Succeeded, 0), Fleets.stage("prod", last, 1)));
          },
          400,
          TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    informer.close();
    timer.shutdownNow();
  }
}
