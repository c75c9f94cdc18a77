package io.kapro.oci.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.oci.OciException;
import io.kapro.oci.testing.TestBundles;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BundleArtifactTest {
  static BundlePayload payload() {
    return TestBundles.payload(
        "team-a", "edge-1", 3, Instant.parse("2026-05-01T00:00:00Z"), Duration.ofHours(24));
  }

  @Test
  void samePayloadGivesByteIdenticalLayerAndManifest() {
    BundleArtifact a = BundleArtifact.of(payload());
    BundleArtifact b = BundleArtifact.of(payload());
    assertThat(b.layer()).isEqualTo(a.layer());
    assertThat(b.manifest()).isEqualTo(a.manifest());
    assertThat(Digests.sha256(b.layer())).isEqualTo(Digests.sha256(a.layer()));
    assertThat(b.digest()).isEqualTo(a.digest()).isEqualTo(Digests.sha256(a.manifest()));
    assertThat(
            BundleArtifact.of(
                    TestBundles.payload(
                        "team-a",
                        "edge-1",
                        4,
                        Instant.parse("2026-05-01T00:00:00Z"),
                        Duration.ofHours(24)))
                .digest())
        .isNotEqualTo(a.digest());
  }

  @Test
  void manifestIsAnOciArtifactWithEmptyConfigAndOneLayer() {
    BundleArtifact a = BundleArtifact.of(payload());
    OciManifest m = OciManifest.parse(a.manifest());
    assertThat(m.artifactType()).isEqualTo("application/vnd.kapro.bundle.v1");
    assertThat(m.config().mediaType()).isEqualTo("application/vnd.oci.empty.v1+json");
    assertThat(m.config().digest())
        .isEqualTo(Digests.sha256("{}".getBytes(StandardCharsets.UTF_8)));
    assertThat(m.config().size()).isEqualTo(2);
    assertThat(m.layers())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.mediaType()).isEqualTo("application/vnd.kapro.bundle.v1+json");
              assertThat(l.digest()).isEqualTo(Digests.sha256(a.layer()));
              assertThat(l.size()).isEqualTo(a.layer().length);
            });
    assertThat(m.annotations())
        .containsEntry(BundleAnnotations.CLUSTER, "edge-1")
        .containsEntry(BundleAnnotations.NAMESPACE, "team-a")
        .containsEntry(BundleAnnotations.SEQUENCE, "3")
        .containsEntry(BundleAnnotations.EXPIRES, "2026-05-02T00:00:00Z")
        .containsEntry(BundleAnnotations.RUN, "promo-1-run-1");
    String json = new String(a.manifest(), StandardCharsets.UTF_8);
    assertThat(json)
        .contains("\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"")
        .contains("\"schemaVersion\":2");
    assertThat(OciManifest.parse(a.manifest()).toJson()).isEqualTo(a.manifest());
  }

  @Test
  void repositoryAndTagNaming() {
    assertThat(BundleRepository.of("kapro", "team-a", "edge-1")).isEqualTo("kapro/team-a/edge-1");
    assertThat(BundleRepository.of("org/kapro", "team-a", "edge-1"))
        .isEqualTo("org/kapro/team-a/edge-1");
    assertThat(BundleRepository.sequenceTag(42)).isEqualTo("seq-42");
    String d = Digests.sha256(new byte[0]);
    assertThat(BundleRepository.signatureTag(d)).isEqualTo("sha256-" + d.substring(7) + ".sig");
    assertThatThrownBy(() -> BundleRepository.of("kapro", "Team_A!", "x"))
        .isInstanceOf(OciException.class)
        .hasMessageContaining("namespace");
    assertThatThrownBy(() -> BundleRepository.requireRepository("kapro/../etc"))
        .isInstanceOf(OciException.class);
  }

  @Test
  void hostileManifestsAreMalformed() {
    for (String s :
        new String[] {
          "{}",
          "[]",
          "{\"schemaVersion\":2,\"layers\":{}}",
          "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"md5:1\",\"size\":1},\"layers\":[]}",
          "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"sha256:"
              + "0".repeat(64)
              + "\",\"size\":-1},\"layers\":[]}",
          "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"layers\":[]}"
        }) {
      assertThatThrownBy(() -> OciManifest.parse(s.getBytes(StandardCharsets.UTF_8)))
          .as(s)
          .isInstanceOfSatisfying(
              OciException.class,
              e -> assertThat(e.reason()).isEqualTo(OciException.Reason.MALFORMED));
    }
  }
}
