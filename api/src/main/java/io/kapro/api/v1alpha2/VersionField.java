package io.kapro.api.v1alpha2;

/** What "version V" sets on a unit's local object. Constants are spelt as on the wire. */
public enum VersionField {
  /** HelmRelease spec.chart.spec.version. */
  chartVersion(UnitKind.HelmRelease, null, "spec.chart.spec.version"),
  /** OCIRepository spec.ref.tag. */
  ociTag(UnitKind.OCIRepository, null, "spec.ref.tag"),
  /** OCIRepository spec.ref.digest. */
  ociDigest(UnitKind.OCIRepository, null, "spec.ref.digest"),
  /** OCIRepository spec.ref.semver. */
  ociSemver(UnitKind.OCIRepository, null, "spec.ref.semver"),
  /** GitRepository spec.ref.tag. */
  gitTag(UnitKind.GitRepository, null, "spec.ref.tag"),
  /** GitRepository spec.ref.commit. */
  gitCommit(UnitKind.GitRepository, null, "spec.ref.commit"),
  /** GitRepository spec.ref.branch. */
  gitBranch(UnitKind.GitRepository, null, "spec.ref.branch"),
  /** GitRepository spec.ref.semver. */
  gitSemver(UnitKind.GitRepository, null, "spec.ref.semver"),
  /** Kustomization spec.images[name=image].newTag. */
  image(UnitKind.Kustomization, "image", "spec.images[name=image].newTag"),
  /** Kustomization spec.postBuild.substitute[parameter]. */
  substitute(UnitKind.Kustomization, "parameter", "spec.postBuild.substitute[parameter]"),
  /** Application spec.source.targetRevision. */
  targetRevision(UnitKind.Application, null, "spec.source.targetRevision"),
  /** Application spec.source.kustomize.images: the entry for image gets the version as tag. */
  kustomizeImage(UnitKind.Application, "image", "spec.source.kustomize.images[image]"),
  /** Application spec.source.helm.parameters[name=parameter]. */
  helmParameter(UnitKind.Application, "parameter", "spec.source.helm.parameters[name=parameter]");

  private final UnitKind kind;
  private final String requires;
  private final String sets;

  VersionField(UnitKind kind, String requires, String sets) {
    this.kind = kind;
    this.requires = requires;
    this.sets = sets;
  }

  /**
   * The field of the local object the version goes to, e.g. {@code spec.chart.spec.version}; {@code
   * image} and {@code parameter} stand for the unit's values.
   */
  public String sets() {
    return sets;
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
