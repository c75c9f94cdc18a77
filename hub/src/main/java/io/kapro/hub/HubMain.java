package io.kapro.hub;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's entry point in a pod: settings from the environment ({@link HubSettings#fromEnv}), the
 * API server from the standard kubeconfig / in-cluster configuration. Exit code 2 for invalid
 * settings, 1 when the hub cannot start.
 */
public final class HubMain {
  private static final Logger LOG = LoggerFactory.getLogger(HubMain.class);

  private HubMain() {}

  public static void main(String[] args) throws InterruptedException {
    HubSettings settings;
    try {
      settings = HubSettings.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("kapro-hub: " + e.getMessage());
      System.exit(2);
      return;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    Hub hub;
    try {
      hub = Hub.start(client, settings, Clock.systemUTC());
    } catch (RuntimeException e) {
      LOG.error("kapro-hub could not start: {}", e.getMessage(), e);
      client.close();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .unstarted(
                    () -> {
                      LOG.info("kapro-hub stopping");
                      hub.close();
                      client.close();
                      stopped.countDown();
                    }));
    stopped.await();
  }
}
