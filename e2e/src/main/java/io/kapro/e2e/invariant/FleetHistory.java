package io.kapro.e2e.invariant;

import io.kapro.agent.evidence.FileOutbox;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Target;
import io.kapro.e2e.demo.DemoFleet;
import io.kapro.e2e.invariant.History.Applied;
import io.kapro.e2e.invariant.History.Delivery;
import io.kapro.e2e.invariant.History.Expected;
import io.kapro.e2e.invariant.History.Signature;
import io.kapro.e2e.invariant.History.TargetRecord;
import io.kapro.oci.OciException;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.store.RegistryConfig;
import io.kapro.oci.store.RegistryStore;
import io.kapro.oci.verify.BundleVerifier;
import io.kapro.oci.verify.VerifiedBundle;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a {@link History} from a {@link DemoFleet} at the end of a scenario: lets every running
 * agent drain its outbox (up to a limit), stops the agents, reads each agent's outbox on disk and
 * the hub's {@code lastEvidenceNumber}, lists every Target, and checks the signature of every
 * applied bundle again, independently, from the registry with the fleet's public key.
 */
public final class FleetHistory {
  private static final Logger LOG = LoggerFactory.getLogger(FleetHistory.class);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private FleetHistory() {}

  /**
   * Records the history; the agents are stopped afterwards.
   *
   * @param fleet the fleet (registry-backed)
   * @param applies the applies recorded while the scenario ran
   * @param expected the terminal phase of each cluster × stage of the run(s) under test
   * @param drain how long to let the agents' outboxes drain before stopping them
   */
  public static History record(
      DemoFleet fleet, ApplyLog applies, List<Expected> expected, Duration drain) {
    awaitDrained(fleet, drain);
    List<Delivery> deliveries = new ArrayList<>();
    for (String name : fleet.clusterNames()) {
      fleet.stopAgent(name);
      try (FileOutbox outbox = FileOutbox.open(fleet.agentStateDir(name).resolve("outbox"))) {
        Cluster c = fleet.cluster(name);
        Long hub = c.getStatus() == null ? null : c.getStatus().getLastEvidenceNumber();
        deliveries.add(
            new Delivery(name, outbox.lastNumber(), outbox.depth(), hub == null ? 0 : hub));
      }
    }
    List<TargetRecord> targets = new ArrayList<>();
    for (Target t : fleet.client().resources(Target.class).list().getItems()) {
      var s = t.getStatus();
      targets.add(
          new TargetRecord(
              t.getMetadata().getName(),
              t.getSpec().getRun(),
              t.getSpec().getCluster(),
              t.getSpec().getStage(),
              s == null ? null : s.getPhase(),
              s == null ? null : s.getMessage()));
    }
    return new History(targets, expected, verified(fleet, applies), deliveries);
  }

  private static List<Applied> verified(DemoFleet fleet, ApplyLog log) {
    String host =
        fleet
            .registryHost()
            .orElseThrow(() -> new IllegalStateException("the fault matrix needs the registry"));
    BundleVerifier verifier =
        BundleVerifier.forTransfer(TrustedKeys.of(fleet.signingKey())).build();
    Map<String, Signature> seen = new HashMap<>();
    List<Applied> out = new ArrayList<>();
    try (BundleStore store = new RegistryStore(RegistryConfig.plainHttp(host))) {
      for (ApplyLog.Entry e : log.entries()) {
        String name = e.clusterName();
        if (!fleet.clusterNames().contains(name)) {
          continue;
        }
        Signature sig =
            seen.computeIfAbsent(
                name + "@" + e.digest() + "#" + e.sequence(), k -> verify(verifier, store, e));
        out.add(new Applied(name, e.sequence(), e.digest(), e.at(), sig));
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot read back the applied bundles: " + e, e);
    }
    return out;
  }

  private static Signature verify(BundleVerifier verifier, BundleStore store, ApplyLog.Entry e) {
    String repository = "kapro/" + DemoFleet.NAMESPACE + "/" + e.clusterName();
    try {
      VerifiedBundle b = verifier.verify(store, repository, e.digest(), 0);
      if (!b.payload().cluster().equals(e.clusterName())
          || b.payload().sequence() != e.sequence()) {
        return Signature.invalid(
            "the signed payload says cluster "
                + b.payload().cluster()
                + " sequence "
                + b.payload().sequence());
      }
      return Signature.valid(b.keyId());
    } catch (OciException ex) {
      return Signature.invalid(ex.reason() + ": " + ex.getMessage());
    }
  }

  private static void awaitDrained(DemoFleet fleet, Duration limit) {
    Instant deadline = Instant.now().plus(limit);
    for (String name : fleet.clusterNames()) {
      OptionalInt port = fleet.agentHealthPort(name);
      if (port.isEmpty()) {
        continue;
      }
      while (outboxDepth(port.getAsInt()) > 0 && Instant.now().isBefore(deadline)) {
        pause();
      }
    }
  }

  /** The agent's {@code kapro_agent_outbox_depth} gauge, from its health server. */
  static long outboxDepth(int port) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      for (String line : r.body().split("\n")) {
        if (line.startsWith("kapro_agent_outbox_depth")) {
          return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      LOG.warn("no kapro_agent_outbox_depth on the agent's /metrics (port {})", port);
      return 0;
    } catch (IOException e) {
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100); // polling the agents' gauges while recording, not a test wait
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
