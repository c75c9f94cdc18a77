package io.kapro.oci.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.oci.bundle.FieldSet;
import io.kapro.oci.testing.TestBundles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built-in deny-list. Field names are the controllers' own, from their API references: Flux
 * helm-controller HelmRelease v2 (spec.serviceAccountName, spec.targetNamespace,
 * spec.storageNamespace, spec.kubeConfig, spec.chart.spec.sourceRef, spec.chartRef;
 * https://fluxcd.io/flux/components/helm/helmreleases/), kustomize-controller Kustomization v1
 * (spec.sourceRef, spec.serviceAccountName, spec.decryption;
 * https://fluxcd.io/flux/components/kustomize/kustomizations/), source-controller OCIRepository
 * (spec.verify; https://fluxcd.io/flux/components/source/ocirepositories/), Argo CD Application
 * (spec.project, spec.source.repoURL, spec.sources[].repoURL, spec.destination.server|namespace;
 * https://argo-cd.readthedocs.io/en/stable/user-guide/application-specification/).
 */
class FieldGuardTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "metadata.annotations.foo",
        "metadata.labels.app",
        "metadata.finalizers[0]",
        "spec.serviceAccountName",
        "spec.targetNamespace",
        "spec.storageNamespace",
        "spec.kubeConfig.secretRef.name",
        "spec.chart.spec.sourceRef.name",
        "spec.chartRef.name",
        "spec.sourceRef.namespace",
        "spec.decryption.secretRef.name",
        "spec.verify.provider",
        "spec.project",
        "spec.source.repoURL",
        "spec.sources[0].repoURL",
        "spec.sources[name=app].repoURL",
        "spec.destination.server",
        "spec.destination.namespace"
      })
  void aFieldThatGrantsPrivilegeIsNeverAllowed(String path) {
    assertThat(FieldGuard.deny(path)).as(path).isPresent();
    assertThat(
            FieldGuard.defaultPolicy()
                .deny(TestBundles.helmUnit("web", "1.0.0"), new FieldSet(path, "x")))
        .isPresent();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "spec.chart.spec.version",
        "spec.values.image.tag",
        "spec.values.project", // a chart's own value, not Argo's project
        "spec.ref.tag",
        "spec.images[name=podinfo].newTag",
        "spec.postBuild.substitute.VERSION",
        "spec.source.targetRevision",
        "spec.source.helm.parameters[name=image.tag].value"
      })
  void theFieldsAFleetUnitSetsAreTheDefault(String path) {
    assertThat(FieldGuard.deny(path)).as(path).isEmpty();
    assertThat(
            FieldGuard.defaultPolicy()
                .deny(TestBundles.helmUnit("web", "1.0.0"), new FieldSet(path, "x")))
        .as(path)
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"spec.suspend", "spec.interval", "spec.chart.spec.versionx"})
  void anythingElseIsOutsideTheDefault(String path) {
    assertThat(FieldGuard.deny(path)).isEmpty();
    assertThat(
            FieldGuard.defaultPolicy()
                .deny(TestBundles.helmUnit("web", "1.0.0"), new FieldSet(path, "x")))
        .isPresent();
  }
}
