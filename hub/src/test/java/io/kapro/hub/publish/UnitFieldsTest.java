package io.kapro.hub.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.api.v1alpha2.Backend;
import io.kapro.api.v1alpha2.FleetUnit;
import io.kapro.api.v1alpha2.UnitKind;
import io.kapro.api.v1alpha2.VersionField;
import io.kapro.hub.target.PublishException;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.FieldSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Field paths in the agent's syntax for every version field; hostile unit definitions. */
class UnitFieldsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "HelmRelease|chartVersion|||1.2.0|spec.chart.spec.version|1.2.0",
        "OCIRepository|ociTag|||6.5.1|spec.ref.tag|6.5.1",
        "OCIRepository|ociSemver|||>=6.0.0|spec.ref.semver|>=6.0.0",
        "GitRepository|gitTag|||v1.0.0|spec.ref.tag|v1.0.0",
        "GitRepository|gitCommit|||abc123|spec.ref.commit|abc123",
        "GitRepository|gitBranch|||release-1|spec.ref.branch|release-1",
        "GitRepository|gitSemver|||~1.0|spec.ref.semver|~1.0",
        "Kustomization|image|ghcr.io/acme/app||1.1.0|spec.images[name=ghcr.io/acme/app].newTag|1.1.0",
        "Kustomization|substitute||APP_VERSION|1.1.0|spec.postBuild.substitute.APP_VERSION|1.1.0",
        "Application|targetRevision|||6.5.1|spec.source.targetRevision|6.5.1",
        "Application|kustomizeImage|ghcr.io/acme/web||1.1.0|spec.source.kustomize.images[image=ghcr.io/acme/web]|ghcr.io/acme/web:1.1.0",
        "Application|helmParameter||image.tag|6.5.1|spec.source.helm.parameters[name=image.tag].value|6.5.1",
      })
  void eachFieldSetsThePathTheAgentApplies(
      UnitKind kind,
      VersionField field,
      String image,
      String parameter,
      String version,
      String path,
      String value) {
    FleetUnit u = PublishFixture.unit("u", kind, field, image, parameter);
    UnitFields.check(u, "spec.units[0]");
    BundleUnit b = UnitFields.unit(u, version);
    assertThat(b.set()).containsExactly(new FieldSet(path, value));
    assertThat(b.object().kind()).isEqualTo(kind.name());
    assertThat(b.object().apiVersion()).isEqualTo(kind.apiVersion());
    assertThat(b.backend()).isEqualTo(kind.backend().name());
    assertThat(b.version()).isEqualTo(version);
  }

  @Test
  void digestsAreCarriedAsDigests() {
    String d = "sha256:" + "c".repeat(64);
    BundleUnit oci =
        UnitFields.unit(
            PublishFixture.unit("u", UnitKind.OCIRepository, VersionField.ociDigest, null, null),
            d);
    assertThat(oci.digest()).isEqualTo(d);
    assertThat(oci.set()).containsExactly(new FieldSet("spec.ref.digest", d));
    BundleUnit img =
        UnitFields.unit(
            PublishFixture.unit(
                "u", UnitKind.Application, VersionField.kustomizeImage, "ghcr.io/a/b", null),
            d);
    assertThat(img.set().getFirst().value()).isEqualTo("ghcr.io/a/b@" + d);
    assertThatThrownBy(
            () ->
                UnitFields.unit(
                    PublishFixture.unit(
                        "u", UnitKind.OCIRepository, VersionField.ociDigest, null, null),
                    "latest"))
        .hasMessageContaining("sha256:<64 hex>");
  }

  @Test
  void hostileUnitDefinitionsAndVersionsAreRefusedNamingTheField() {
    assertThatThrownBy(
            () ->
                UnitFields.check(
                    PublishFixture.unit(
                        "u", UnitKind.Kustomization, VersionField.image, "evil]x[", null),
                    "Fleet f spec.units[2]"))
        .isInstanceOf(PublishException.class)
        .hasMessageContaining("spec.units[2].image");
    assertThatThrownBy(
            () ->
                UnitFields.check(
                    PublishFixture.unit(
                        "u", UnitKind.Kustomization, VersionField.substitute, null, "A.B"),
                    "spec.units[1]"))
        .hasMessageContaining("spec.units[1].parameter");
    assertThatThrownBy(
            () ->
                UnitFields.check(
                    PublishFixture.unit(
                        "u", UnitKind.Application, VersionField.helmParameter, null, null),
                    "spec.units[0]"))
        .hasMessageContaining("spec.units[0].parameter");
    FleetUnit wrongKind =
        PublishFixture.unit("u", UnitKind.HelmRelease, VersionField.ociTag, null, null);
    assertThatThrownBy(() -> UnitFields.check(wrongKind, "spec.units[0]"))
        .hasMessageContaining("applies to kind OCIRepository");
    FleetUnit wrongBackend =
        PublishFixture.unit("u", UnitKind.HelmRelease, VersionField.chartVersion, null, null);
    wrongBackend.setBackend(Backend.ArgoCD);
    assertThatThrownBy(() -> UnitFields.check(wrongBackend, "spec.units[0]"))
        .hasMessageContaining("belongs to backend Flux");
    FleetUnit noRef =
        PublishFixture.unit("u", UnitKind.HelmRelease, VersionField.chartVersion, null, null);
    noRef.setObjectRef(null);
    assertThatThrownBy(() -> UnitFields.check(noRef, "spec.units[0]"))
        .hasMessageContaining("spec.units[0].objectRef");
    FleetUnit web =
        PublishFixture.unit("web", UnitKind.HelmRelease, VersionField.chartVersion, null, null);
    assertThatThrownBy(() -> UnitFields.unit(web, "")).hasMessageContaining("unit web: version");
    assertThatThrownBy(() -> UnitFields.unit(web, "9".repeat(300)))
        .hasMessageContaining("unit web: version");
    assertThatThrownBy(() -> UnitFields.unit(web, "1.0\u0000"))
        .hasMessageContaining("control characters");
  }
}
