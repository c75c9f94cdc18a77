package io.kapro.hub.gateway;

import io.grpc.Status;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.link.LinkException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open streams on this replica, by cluster: delivers nudges, re-sends changed settings and
 * closes streams whose certificate was revoked or retired (renewed) or whose cluster was deleted.
 */
final class SessionRegistry implements BundleNotifier {
  private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);

  private final Map<ClusterId, Set<AgentSession>> sessions = new ConcurrentHashMap<>();
  private final ClusterDirectory directory;

  SessionRegistry(ClusterDirectory directory) {
    this.directory = directory;
    directory.addListener(this::clusterChanged);
  }

  /** The most streams one cluster's identity may hold open on a replica at once. */
  static final int MAX_STREAMS_PER_CLUSTER = 4;

  /**
   * @throws io.kapro.hub.link.LinkException OVERLOADED when the cluster already holds {@link
   *     #MAX_STREAMS_PER_CLUSTER} streams (a hostile agent cannot exhaust the hub with streams)
   */
  void register(AgentSession session) {
    boolean[] added = {false};
    sessions.compute(
        session.cluster(),
        (k, set) -> {
          Set<AgentSession> s = set == null ? ConcurrentHashMap.newKeySet() : set;
          if (s.size() < MAX_STREAMS_PER_CLUSTER) {
            added[0] = s.add(session);
          }
          return s;
        });
    if (!added[0]) {
      throw new io.kapro.hub.link.LinkException(
          io.kapro.hub.link.LinkException.Reason.OVERLOADED,
          "cluster "
              + session.cluster()
              + " already holds "
              + MAX_STREAMS_PER_CLUSTER
              + " open streams; an agent needs one");
    }
  }

  void unregister(AgentSession session) {
    sessions.computeIfPresent(
        session.cluster(),
        (k, set) -> {
          set.remove(session);
          return set.isEmpty() ? null : set;
        });
  }

  /** Clusters with at least one open stream on this replica. */
  int connectedClusters() {
    return sessions.size();
  }

  List<AgentSession> of(ClusterId cluster) {
    return List.copyOf(sessions.getOrDefault(cluster, Set.of()));
  }

  @Override
  public void bundleAvailable(ClusterId cluster, long sequence, String digest) {
    for (AgentSession s : of(cluster)) {
      LOG.debug("nudging {} for bundle {} ({})", cluster, sequence, digest);
      s.nudge(sequence, digest);
    }
  }

  /** Closes every stream of {@code cluster}; the agents reconnect. */
  void disconnect(ClusterId cluster, String why) {
    for (AgentSession s : of(cluster)) {
      s.close(Status.UNAVAILABLE.withDescription(why));
    }
  }

  /** Closes streams whose client certificate expired while they were open. */
  void closeExpired(java.time.Instant now) {
    for (Set<AgentSession> set : sessions.values()) {
      for (AgentSession s : List.copyOf(set)) {
        if (!now.isBefore(s.agent().certificate().getNotAfter().toInstant())) {
          s.close(
              StatusMapping.toStatus(
                  new LinkException(
                      LinkException.Reason.CERTIFICATE_EXPIRED,
                      "the client certificate expired at "
                          + s.agent().certificate().getNotAfter().toInstant()
                          + "; the agent should have renewed it")));
        }
      }
    }
  }

  private void clusterChanged(ClusterId cluster) {
    List<AgentSession> open = of(cluster);
    if (open.isEmpty()) {
      return;
    }
    Optional<ClusterEntry> entry = directory.find(cluster);
    for (AgentSession s : open) {
      if (entry.isEmpty()) {
        s.close(
            StatusMapping.toStatus(
                new LinkException(
                    LinkException.Reason.UNKNOWN_CLUSTER,
                    "cluster " + cluster + " was removed from the hub")));
        continue;
      }
      try {
        ClientAuthenticator.checkUsable(entry.get(), s.agent().certificate());
        s.sendSettings(entry.get().settings());
      } catch (LinkException e) {
        LOG.info("closing stream of {}: {}", cluster, e.getMessage());
        s.close(StatusMapping.toStatus(e));
      }
    }
  }
}
