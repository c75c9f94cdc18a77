package io.kapro.api.testing;

import java.util.List;

/**
 * A kind that {@link LocalKubeApi} serves besides the Kapro ones (registered as a CRD with an open
 * schema and a status subresource, the way Flux and Argo CD install theirs).
 *
 * @param group API group, e.g. {@code helm.toolkit.fluxcd.io}
 * @param version e.g. {@code v2}
 * @param kind e.g. {@code HelmRelease}
 * @param plural e.g. {@code helmreleases}
 * @param namespaced whether objects live in namespaces
 */
public record ApiKind(
    String group, String version, String kind, String plural, boolean namespaced) {
  /** Flux HelmRelease. */
  public static final ApiKind FLUX_HELM_RELEASE =
      new ApiKind("helm.toolkit.fluxcd.io", "v2", "HelmRelease", "helmreleases", true);

  /** Flux OCIRepository. */
  public static final ApiKind FLUX_OCI_REPOSITORY =
      new ApiKind("source.toolkit.fluxcd.io", "v1", "OCIRepository", "ocirepositories", true);

  /** Flux GitRepository. */
  public static final ApiKind FLUX_GIT_REPOSITORY =
      new ApiKind("source.toolkit.fluxcd.io", "v1", "GitRepository", "gitrepositories", true);

  /** Flux Kustomization. */
  public static final ApiKind FLUX_KUSTOMIZATION =
      new ApiKind("kustomize.toolkit.fluxcd.io", "v1", "Kustomization", "kustomizations", true);

  /** Argo CD Application. */
  public static final ApiKind ARGOCD_APPLICATION =
      new ApiKind("argoproj.io", "v1alpha1", "Application", "applications", true);

  /** Every Flux and Argo CD kind a Kapro unit can point at. */
  public static final List<ApiKind> FLUX_AND_ARGO =
      List.of(
          FLUX_HELM_RELEASE,
          FLUX_OCI_REPOSITORY,
          FLUX_GIT_REPOSITORY,
          FLUX_KUSTOMIZATION,
          ARGOCD_APPLICATION);

  /** {@code group/version}. */
  public String apiVersion() {
    return group + "/" + version;
  }
}
