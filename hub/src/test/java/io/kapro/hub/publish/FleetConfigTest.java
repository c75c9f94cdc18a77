package io.kapro.hub.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.FleetSpec;
import io.kapro.api.v1alpha2.LayoutSpec;
import io.kapro.api.v1alpha2.RegistrySpec;
import io.kapro.api.v1alpha2.SecretKeyRef;
import io.kapro.api.v1alpha2.SigningSpec;
import io.kapro.api.v1alpha2.UnitKind;
import io.kapro.api.v1alpha2.VersionField;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Fleet settings the publisher relies on; hostile values are refused naming the field. */
class FleetConfigTest {

  private static Fleet fleet(Consumer<FleetSpec> change) {
    Fleet f = new Fleet();
    f.getMetadata().setName("shop");
    f.getMetadata().setNamespace("team-a");
    FleetSpec spec = new FleetSpec();
    RegistrySpec reg = new RegistrySpec();
    reg.setUrl("127.0.0.1:5000");
    spec.setRegistry(reg);
    SigningSpec signing = new SigningSpec();
    SecretKeyRef key = new SecretKeyRef();
    key.setName("k");
    signing.setKeySecretRef(key);
    spec.setSigning(signing);
    spec.setUnits(
        List.of(
            PublishFixture.unit(
                "web", UnitKind.HelmRelease, VersionField.chartVersion, null, null)));
    change.accept(spec);
    f.setSpec(spec);
    return f;
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    FleetConfig c = FleetConfig.of(fleet(s -> {}));
    assertThat(c.ttl()).isEqualTo(Duration.ofHours(24));
    assertThat(c.reissueBefore()).isEqualTo(Duration.ofHours(8));
    assertThat(c.key().getKey()).isEqualTo("cosign.key");
    assertThat(c.repository("eu-1")).isEqualTo("kapro/team-a/eu-1");
    LayoutSpec layout = new LayoutSpec();
    layout.setPath("/srv/bundles");
    FleetConfig l =
        FleetConfig.of(
            fleet(
                s -> {
                  s.setRegistry(null);
                  s.setLayout(layout);
                }));
    assertThat(l.location()).isEqualTo(new StoreLocation.Layout("/srv/bundles"));
  }

  @Test
  void hostileFleetsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> FleetConfig.of(fleet(s -> s.setBundleTTL("1m"))))
        .hasMessageContaining("spec.bundleTTL must be at least 5m");
    assertThatThrownBy(() -> FleetConfig.of(fleet(s -> s.setBundleTTL("8760h"))))
        .hasMessageContaining("spec.bundleTTL must be at most 168h");
    assertThatThrownBy(() -> FleetConfig.of(fleet(s -> s.setBundleTTL("soon"))))
        .hasMessageContaining("spec.bundleTTL");
    assertThatThrownBy(() -> FleetConfig.of(fleet(s -> s.setReissueBefore("48h"))))
        .hasMessageContaining("spec.reissueBefore");
    assertThatThrownBy(() -> FleetConfig.of(fleet(s -> s.setLayout(new LayoutSpec()))))
        .hasMessageContaining("exactly one of spec.registry or spec.layout");
    assertThatThrownBy(() -> FleetConfig.of(fleet(s -> s.setSigning(null))))
        .hasMessageContaining("spec.signing.keySecretRef.name");
    assertThatThrownBy(() -> FleetConfig.of(fleet(s -> s.setUnits(List.of()))))
        .hasMessageContaining("spec.units is empty");
    assertThatThrownBy(
            () ->
                FleetConfig.of(fleet(s -> s.getRegistry().setRepositoryPrefix("UPPER/Case")))
                    .repository("eu-1"))
        .hasMessageContaining("repositoryPrefix");
    assertThatThrownBy(
            () ->
                FleetConfig.of(
                    fleet(
                        s -> {
                          LayoutSpec l = new LayoutSpec();
                          l.setPath("relative/dir");
                          s.setRegistry(null);
                          s.setLayout(l);
                        })))
        .hasMessageContaining("spec.layout.path must be an absolute");
    assertThatThrownBy(
            () ->
                FleetConfig.of(
                    fleet(
                        s ->
                            s.setUnits(
                                List.of(
                                    PublishFixture.unit(
                                        "web",
                                        UnitKind.HelmRelease,
                                        VersionField.chartVersion,
                                        null,
                                        null),
                                    PublishFixture.unit(
                                        "web",
                                        UnitKind.HelmRelease,
                                        VersionField.chartVersion,
                                        null,
                                        null))))))
        .hasMessageContaining("spec.units[1].name 'web' appears twice");
  }
}
