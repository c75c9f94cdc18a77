package io.kapro.api.v1alpha2;

/** What "version V" sets on a unit's local object. Constants are spelt as on the wire. */
public enum VersionField {
  /** HelmRelease spec.chart.spec.version. */
  chartVersion(UnitKind.HelmRelease, null),
  /** OCIRepository spec.ref.tag. */
  ociTag(UnitKind.OCIRepository, null),
  /** OCIRepository spec.ref.digest. */
  ociDigest(UnitKind.OCIRepository, null),
  /** OCIRepository spec.ref.semver. */
  ociSemver(UnitKind.OCIRepository, null),
  /** GitRepository spec.ref.tag. */
  gitTag(UnitKind.GitRepository, null),
  /** GitRepository spec.ref.commit. */
  gitCommit(UnitKind.GitRepository, null),
  /** GitRepository spec.ref.branch. */
  gitBranch(UnitKind.GitRepository, null),
  /** GitRepository spec.ref.semver. */
  gitSemver(UnitKind.GitRepository, null),
  /** Kustomization spec.images[name=image].newTag. */
  image(UnitKind.Kustomization, "image"),
  /** Kustomization spec.postBuild.substitute[parameter]. */
  substitute(UnitKind.Kustomization, "parameter"),
  /** Application spec.source.targetRevision. */
  targetRevision(UnitKind.Application, null),
  /** Application spec.source.kustomize.images entry for image. */
  kustomizeImage(UnitKind.Application, "image"),
  /** Application spec.source.helm.parameters[name=parameter]. */
  helmParameter(UnitKind.Application, "parameter");

  private final UnitKind kind;
  private final String requires;

  VersionField(UnitKind kind, String requires) {
    this.kind = kind;
    this.requires = requires;
  }

  /** The only unit kind this field applies to. */
  public UnitKind kind() {
    return kind;
  }

  /** The FleetUnit property this field needs ({@code image} or {@code parameter}), or null. */
  public String requires() {
    return requires;
  }
}
