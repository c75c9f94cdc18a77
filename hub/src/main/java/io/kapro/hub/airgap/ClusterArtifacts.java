package io.kapro.hub.airgap;

import io.kapro.agent.v1.AgentMessage;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.gateway.AgentInput;
import io.kapro.hub.gateway.ClusterDirectory;
import io.kapro.hub.gateway.ClusterEntry;
import io.kapro.hub.link.LinkException;
import io.kapro.oci.OciException;
import io.kapro.oci.evidence.EvidenceVerifier;
import io.kapro.oci.evidence.VerifiedEvidence;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.verify.ClusterIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one cluster's evidence repository: every {@code seq-<n>} artifact above what the hub has
 * already applied, verified ({@link EvidenceVerifier}: signed by a key the hub CA certified for
 * this cluster), its certificate not revoked, its items about this cluster's bundles only. A
 * refused artifact is skipped and reported; the others are still read.
 */
final class ClusterArtifacts {
  private static final Pattern SEQ = Pattern.compile("seq-(\\d{1,18})");

  /**
   * @param items new items in number order (each number once)
   * @param refused one message per refused artifact
   */
  record Read(List<AgentMessage> items, List<String> refused) {}

  private final EvidenceVerifier verifier;
  private final ClusterDirectory directory;

  ClusterArtifacts(EvidenceVerifier verifier, ClusterDirectory directory) {
    this.verifier = verifier;
    this.directory = directory;
  }

  Read read(BundleStore store, String repository, ClusterId cluster, long appliedUpTo) {
    TreeMap<Long, String> tags = new TreeMap<>();
    for (String tag : store.listTags(repository)) {
      Matcher m = SEQ.matcher(tag);
      if (m.matches() && Long.parseLong(m.group(1)) > appliedUpTo) {
        tags.put(Long.parseLong(m.group(1)), tag);
      }
    }
    TreeMap<Long, AgentMessage> items = new TreeMap<>();
    List<String> refused = new ArrayList<>();
    for (String tag : tags.values()) {
      String what = "evidence " + repository + ":" + tag;
      try {
        VerifiedEvidence v = verifier.verify(store, repository, tag);
        check(v, cluster, what);
        TreeMap<Long, AgentMessage> mine = new TreeMap<>();
        for (AgentMessage m : EvidencePayload.parse(v.payload(), v.sequence(), what)) {
          long n = m.hasEvidence() ? m.getEvidence().getNumber() : m.getRejection().getNumber();
          if (n > appliedUpTo) {
            checkBundleIsOurs(m, cluster, what);
            mine.put(n, AgentInput.bound(m)); // capped as the gateway caps the link's messages
          }
        }
        mine.forEach(items::putIfAbsent);
      } catch (OciException e) {
        if (!e.isRejection()) {
          throw e;
        }
        refused.add(what + " refused (" + e.reason() + "): " + e.getMessage());
      } catch (LinkException e) {
        refused.add(what + " refused (" + e.reason() + "): " + e.getMessage());
      }
    }
    return new Read(List.copyOf(items.values()), refused);
  }

  private void check(VerifiedEvidence v, ClusterId cluster, String what) {
    if (!v.cluster().equals(new ClusterIdentity(cluster.namespace(), cluster.name()))) {
      throw new LinkException(
          LinkException.Reason.IDENTITY_MISMATCH, what + " speaks for " + v.cluster());
    }
    ClusterEntry entry =
        directory
            .find(cluster)
            .orElseThrow(
                () ->
                    new LinkException(
                        LinkException.Reason.UNKNOWN_CLUSTER,
                        what + ": the hub does not know cluster " + cluster));
    if (entry.revokedSerials().contains(v.signer().getSerialNumber())) {
      throw new LinkException(
          LinkException.Reason.CERTIFICATE_REVOKED,
          what
              + " is signed with certificate "
              + v.signer().getSerialNumber().toString(16)
              + ", which is revoked");
    }
  }

  /** As the gateway: evidence may only speak about this cluster's own bundles. */
  private void checkBundleIsOurs(AgentMessage m, ClusterId cluster, String what) {
    if (!m.hasEvidence() || m.getEvidence().getBundleDigest().isEmpty()) {
      return;
    }
    directory
        .bundleOwner(m.getEvidence().getBundleDigest())
        .filter(owner -> !owner.equals(cluster))
        .ifPresent(
            owner -> {
              throw new LinkException(
                  LinkException.Reason.IDENTITY_MISMATCH,
                  what + " names a bundle published for cluster " + owner);
            });
  }
}
