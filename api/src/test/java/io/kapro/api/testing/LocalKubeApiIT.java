package io.kapro.api.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kapro.api.v1alpha2.Approval;
import io.kapro.api.v1alpha2.ApprovalSpec;
import io.kapro.api.v1alpha2.Decision;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What reconcilers need from the fixture: CRUD, watches and informers through fabric8. */
class LocalKubeApiIT {

  static Approval approval(String name) {
    Approval a = new Approval();
    a.setMetadata(new ObjectMetaBuilder().withName(name).build());
    ApprovalSpec spec = new ApprovalSpec();
    spec.setRun("run1");
    spec.setStage("prod");
    spec.setDecision(Decision.Approve);
    spec.setApprover("alice");
    a.setSpec(spec);
    return a;
  }

  @Test
  void watchesAndInformersSeeChanges() {
    try (LocalKubeApi api = LocalKubeApi.start()) {
      List<String> watched = new CopyOnWriteArrayList<>();
      List<String> informed = new CopyOnWriteArrayList<>();
      var watch =
          api.client()
              .resources(Approval.class)
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Approval resource) {
                      watched.add(action + " " + resource.getMetadata().getName());
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                  });
      SharedIndexInformer<Approval> informer =
          api.client()
              .resources(Approval.class)
              .inform(
                  new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Approval obj) {
                      informed.add("add " + obj.getMetadata().getName());
                    }

                    @Override
                    public void onUpdate(Approval oldObj, Approval newObj) {}

                    @Override
                    public void onDelete(Approval obj, boolean deletedFinalStateUnknown) {
                      informed.add("delete " + obj.getMetadata().getName());
                    }
                  });
      api.client().resource(approval("a1")).create();
      api.client().resources(Approval.class).withName("a1").delete();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> watched.size() >= 2 && informed.size() >= 2);
      assertThat(watched).containsExactly("ADDED a1", "DELETED a1");
      assertThat(informed).containsExactly("add a1", "delete a1");
      watch.close();
      informer.close();
    }
  }

  @Test
  void closeStopsTheServerAndRemovesTheKubeconfig() {
    LocalKubeApi api = LocalKubeApi.start();
    var kubeconfig = api.kubeconfig();
    assertThat(kubeconfig).exists();
    assertThat(api.servedCrds()).hasSize(io.kapro.api.v1alpha2.KaproApi.KINDS.size());
    api.close();
    assertThat(Files.exists(kubeconfig)).isFalse();
  }
}
