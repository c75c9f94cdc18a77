package io.kapro.agent.config;

import java.util.Arrays;
import java.util.Optional;

/** The local object kinds the agent knows how to patch and judge. */
public enum ManagedKind {
  OCI_REPOSITORY(Backend.FLUX, "source.toolkit.fluxcd.io", "OCIRepository", "ocirepositories"),
  GIT_REPOSITORY(Backend.FLUX, "source.toolkit.fluxcd.io", "GitRepository", "gitrepositories"),
  HELM_RELEASE(Backend.FLUX, "helm.toolkit.fluxcd.io", "HelmRelease", "helmreleases"),
  KUSTOMIZATION(Backend.FLUX, "kustomize.toolkit.fluxcd.io", "Kustomization", "kustomizations"),
  APPLICATION(Backend.ARGOCD, "argoproj.io", "Application", "applications");

  /** Which GitOps controller owns the kind. */
  public enum Backend {
    FLUX("Flux"),
    ARGOCD("ArgoCD");

    private final String bundleName;

    Backend(String bundleName) {
      this.bundleName = bundleName;
    }

    /** The name bundles use in {@code BundleUnit.backend}. */
    public String bundleName() {
      return bundleName;
    }
  }

  private final Backend backend;
  private final String group;
  private final String kind;
  private final String plural;

  ManagedKind(Backend backend, String group, String kind, String plural) {
    this.backend = backend;
    this.group = group;
    this.kind = kind;
    this.plural = plural;
  }

  public Backend backend() {
    return backend;
  }

  public String group() {
    return group;
  }

  public String kind() {
    return kind;
  }

  public String plural() {
    return plural;
  }

  /** The kind for {@code apiVersion} (group/version) and {@code kind}, if the agent manages it. */
  public static Optional<ManagedKind> of(String apiVersion, String kind) {
    int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
    if (slash <= 0 || slash == apiVersion.length() - 1) {
      return Optional.empty();
    }
    String group = apiVersion.substring(0, slash);
    return Arrays.stream(values())
        .filter(k -> k.kind.equals(kind) && k.group.equals(group))
        .findFirst();
  }

  /** Kind names, for messages. */
  public static String names() {
    return String.join(", ", Arrays.stream(values()).map(k -> k.group + "/*  " + k.kind).toList());
  }
}
