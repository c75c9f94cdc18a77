package io.kapro.oci.mirror;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.store.BundleStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Which repositories a mirror run carries. Every form is relative to a repository prefix (the
 * Fleet's {@code registry.repositoryPrefix}, default {@code kapro}); a cluster's bundles live at
 * {@code <prefix>/<namespace>/<cluster>} and its evidence at {@code .../<cluster>/evidence}.
 */
public sealed interface Selection {

  /** Bundles only, evidence only, or both. */
  enum Content {
    BUNDLES,
    EVIDENCE,
    BOTH;

    boolean bundles() {
      return this != EVIDENCE;
    }

    boolean evidence() {
      return this != BUNDLES;
    }
  }

  String prefix();

  Content content();

  /** Named clusters ({@code <namespace>/<name>}); needs no catalog listing. */
  record Clusters(String prefix, List<String> clusters, Content content) implements Selection {
    public Clusters {
      clusters = List.copyOf(clusters);
      if (clusters.isEmpty()) {
        throw new OciException(
            Reason.INVALID_INPUT, "no clusters selected; give --cluster <namespace>/<name>");
      }
    }
  }

  /** Every cluster of some namespaces (lists the source's repositories). */
  record Namespaces(String prefix, List<String> namespaces, Content content) implements Selection {
    public Namespaces {
      namespaces = List.copyOf(namespaces);
      if (namespaces.isEmpty()) {
        throw new OciException(Reason.INVALID_INPUT, "no namespaces selected");
      }
    }
  }

  /** Every cluster under the prefix (a whole fleet's prefix; lists the source's repositories). */
  record All(String prefix, Content content) implements Selection {}

  static Selection clusters(String prefix, List<String> clusters) {
    return new Clusters(prefix, clusters, Content.BUNDLES);
  }

  static Selection namespaces(String prefix, List<String> namespaces) {
    return new Namespaces(prefix, namespaces, Content.BUNDLES);
  }

  static Selection all(String prefix) {
    return new All(prefix, Content.BUNDLES);
  }

  /** The same selection carrying other content. */
  default Selection with(Content content) {
    return switch (this) {
      case Clusters c -> new Clusters(c.prefix(), c.clusters(), content);
      case Namespaces n -> new Namespaces(n.prefix(), n.namespaces(), content);
      case All a -> new All(a.prefix(), content);
    };
  }

  /** A repository to carry and what it holds. */
  record Target(String repository, RepositoryKind kind) {}

  /**
   * The repositories this selection names in {@code source}, bundle repositories before evidence
   * ones.
   *
   * @throws OciException INVALID_INPUT naming a bad cluster, namespace or prefix
   */
  default List<Target> resolve(BundleStore source) {
    String prefix = checkedPrefix(prefix());
    List<Target> out = new ArrayList<>();
    if (this instanceof Clusters c) {
      for (String cluster : c.clusters()) {
        String[] parts = cluster.split("/", -1);
        if (parts.length != 2) {
          throw new OciException(
              Reason.INVALID_INPUT,
              "cluster '" + cluster + "' must be <namespace>/<name>, e.g. team-a/edge-1");
        }
        String repo = BundleRepository.of(prefix, parts[0], parts[1]);
        if (content().bundles()) {
          out.add(new Target(repo, RepositoryKind.BUNDLES));
        }
        if (content().evidence()) {
          out.add(new Target(RepositoryKind.evidenceRepository(repo), RepositoryKind.EVIDENCE));
        }
      }
      return out.stream().distinct().toList();
    }
    List<String> bases = new ArrayList<>();
    if (this instanceof Namespaces n) {
      for (String ns : n.namespaces()) {
        String probe = BundleRepository.of(prefix, ns, "x");
        bases.add(probe.substring(0, probe.length() - 1));
      }
    } else {
      bases.add(prefix + "/");
    }
    int clusterDepth = prefix.split("/").length + 2;
    String evidenceSuffix = "/" + RepositoryKind.EVIDENCE_COMPONENT;
    for (String r : source.repositories()) {
      if (bases.stream().noneMatch(r::startsWith)) {
        continue;
      }
      int depth = r.split("/").length;
      if (depth == clusterDepth && content().bundles()) {
        out.add(new Target(r, RepositoryKind.BUNDLES));
      } else if (depth == clusterDepth + 1 && r.endsWith(evidenceSuffix) && content().evidence()) {
        out.add(new Target(r, RepositoryKind.EVIDENCE));
      }
    }
    return out.stream()
        .distinct()
        .sorted(java.util.Comparator.comparing(Target::kind).thenComparing(Target::repository))
        .toList();
  }

  private static String checkedPrefix(String prefix) {
    if (prefix == null || prefix.isBlank()) {
      throw new OciException(
          Reason.INVALID_INPUT, "repository prefix is empty; give --prefix (default kapro)");
    }
    BundleRepository.requireRepository(prefix);
    return prefix;
  }
}
