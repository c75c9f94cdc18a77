package io.kapro.cli.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.Plan;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.Target;
import io.kapro.cli.CliException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A connected client, the namespace commands work in, and the kubeconfig user (the default
 * approver). Lookups that must exist throw {@link CliException} NOT_FOUND naming the object, the
 * namespace and a command that lists what exists.
 */
public final class KubeSession implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final String user;

  KubeSession(KubernetesClient client, String namespace, String user) {
    this.client = client;
    this.namespace = namespace;
    this.user = user;
  }

  /** The client. */
  public KubernetesClient client() {
    return client;
  }

  /** The namespace. */
  public String namespace() {
    return namespace;
  }

  /** The kubeconfig context's user name, or null. */
  public String user() {
    return user;
  }

  /**
   * Who the API server says the caller is (a SelfSubjectReview, as {@code kubectl auth whoami}
   * asks; Kubernetes 1.28+), the name admission policies see as {@code request.userInfo.username}.
   * Empty when the server does not serve the review (older than 1.28).
   */
  public Optional<String> authenticatedUser() {
    try {
      SelfSubjectReview review = client.resource(new SelfSubjectReview()).create();
      String name =
          review == null || review.getStatus() == null || review.getStatus().getUserInfo() == null
              ? null
              : review.getStatus().getUserInfo().getUsername();
      if (name == null || name.isBlank()) {
        throw new CliException(
            CliException.Reason.FAILED,
            "the API server answered the SelfSubjectReview without a user name",
            "check the cluster's authentication; kubectl auth whoami shows the same");
      }
      return Optional.of(name);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 || e.getCode() == 405) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** An object that must exist. */
  public <T extends HasMetadata> T require(Class<T> kind, String name) {
    requireName(kind, name);
    T found = client.resources(kind).inNamespace(namespace).withName(name).get();
    if (found == null) {
      String plural = HasMetadata.getPlural(kind);
      throw CliException.notFound(
          HasMetadata.getKind(kind) + " '" + name + "' not found in namespace " + namespace,
          "list them with: kubectl get " + plural + " -n " + namespace);
    }
    return found;
  }

  /** An object, or null. */
  public <T extends HasMetadata> T find(Class<T> kind, String name) {
    requireName(kind, name);
    return client.resources(kind).inNamespace(namespace).withName(name).get();
  }

  /** All objects of a kind in the namespace, by name. */
  public <T extends HasMetadata> List<T> list(Class<T> kind) {
    return client.resources(kind).inNamespace(namespace).list().getItems().stream()
        .sorted(Comparator.comparing(o -> o.getMetadata().getName()))
        .toList();
  }

  /** Fleets. */
  public Fleet fleet(String name) {
    return require(Fleet.class, name);
  }

  /** Plans. */
  public Plan plan(String name) {
    return require(Plan.class, name);
  }

  /** Runs of a fleet, newest first. */
  public List<PromotionRun> runsOf(String fleet) {
    return list(PromotionRun.class).stream()
        .filter(r -> r.getSpec() != null && fleet.equals(r.getSpec().getFleet()))
        .sorted(Comparator.comparing(KubeSession::created).reversed())
        .toList();
  }

  /** Targets of a run. */
  public List<Target> targetsOf(String run) {
    return list(Target.class).stream()
        .filter(t -> t.getSpec() != null && run.equals(t.getSpec().getRun()))
        .toList();
  }

  /** Clusters. */
  public List<Cluster> clusters() {
    return list(Cluster.class);
  }

  private static String created(HasMetadata o) {
    String ts = o.getMetadata().getCreationTimestamp();
    return (ts == null ? "" : ts) + "/" + o.getMetadata().getName();
  }

  private static void requireName(Class<?> kind, String name) {
    if (name == null
        || name.length() > 253
        || !name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")) {
      throw CliException.usage(
          "'" + name + "' is not a valid " + kind.getSimpleName() + " name",
          "names are lower-case letters, digits, '-' and '.', e.g. web-prod");
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
