package io.kapro.api.v1alpha2;

/** Kind of the local object a unit patches; each belongs to one backend and API group. */
public enum UnitKind {
  HelmRelease(Backend.Flux, "helm.toolkit.fluxcd.io/v2"),
  OCIRepository(Backend.Flux, "source.toolkit.fluxcd.io/v1"),
  GitRepository(Backend.Flux, "source.toolkit.fluxcd.io/v1"),
  Kustomization(Backend.Flux, "kustomize.toolkit.fluxcd.io/v1"),
  Application(Backend.ArgoCD, "argoproj.io/v1alpha1");

  private final Backend backend;
  private final String apiVersion;

  UnitKind(Backend backend, String apiVersion) {
    this.backend = backend;
    this.apiVersion = apiVersion;
  }

  /** The backend that owns objects of this kind. */
  public Backend backend() {
    return backend;
  }

  /** The apiVersion of the local object, e.g. {@code helm.toolkit.fluxcd.io/v2}. */
  public String apiVersion() {
    return apiVersion;
  }
}
