package io.kapro.hub.fuzz;

import io.kapro.agent.v1.AgentMessage;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.gateway.ClusterDirectory;
import io.kapro.hub.gateway.EvidenceBatch;
import io.kapro.hub.gateway.EvidenceSink;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An evidence sink that records what the gateway made durable and notes every write that would
 * record evidence about another cluster: a batch for a cluster other than the caller's, or an
 * evidence item naming a bundle published for another cluster.
 */
final class GuardedSink implements EvidenceSink {
  private final ClusterId caller;
  private final ClusterDirectory directory;
  private final Map<ClusterId, Long> durable = new HashMap<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();

  GuardedSink(ClusterId caller, ClusterDirectory directory) {
    this.caller = caller;
    this.directory = directory;
  }

  @Override
  public synchronized long appliedUpTo(ClusterId cluster) {
    return durable.getOrDefault(cluster, 0L);
  }

  @Override
  public synchronized boolean write(ClusterId cluster, EvidenceBatch batch) {
    if (!cluster.equals(caller)) {
      violations.add("evidence written for " + cluster + " on a stream of " + caller);
    }
    for (AgentMessage m : batch.items()) {
      if (!m.hasEvidence()) {
        // A rejection may name another cluster's bundle: that is what a mix-and-match attack
        // serves. It is recorded for the caller's cluster only (checked above).
        continue;
      }
      String digest = m.getEvidence().getBundleDigest();
      directory
          .bundleOwner(digest)
          .filter(owner -> !owner.equals(cluster))
          .ifPresent(owner -> violations.add("recorded " + digest + " of " + owner + ": " + m));
    }
    durable.merge(cluster, batch.upTo(), Math::max);
    return true;
  }

  /** Forgets what was made durable, so each fuzz input starts from an empty history. */
  synchronized void forget() {
    durable.clear();
  }

  /** The violations noted since the last call (each is reported once). */
  synchronized List<String> takeViolations() {
    List<String> taken = List.copyOf(violations);
    violations.clear();
    return taken;
  }
}
