package io.kapro.hub.publish;

import static io.kapro.hub.publish.PublishFixture.NS;
import static io.kapro.hub.publish.PublishFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.LayoutSpec;
import io.kapro.hub.target.PublishedBundle;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.OciLayoutStore;
import io.kapro.oci.verify.BundleVerifier;
import io.kapro.oci.verify.ClusterIdentity;
import io.kapro.oci.verify.VerifiedBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A Fleet with an OCI image layout (the air-gap path) gets the same signed bundles. */
class LayoutPublishIT {
  private final PublishFixture hub = new PublishFixture();

  @AfterEach
  void close() {
    hub.close();
  }

  @Test
  void bundlesGoToTheLayoutDirectoryAndVerifyFromIt() throws Exception {
    Path dir = Files.createTempDirectory("kapro-layout");
    Fleet f =
        hub.client.resources(Fleet.class).inNamespace(NS).withName(PublishFixture.FLEET).get();
    LayoutSpec layout = new LayoutSpec();
    layout.setPath(dir.toAbsolutePath().toString());
    f.getSpec().setRegistry(null);
    f.getSpec().setLayout(layout);
    hub.client.resource(f).update();
    hub.cluster("air-1");

    FleetPublisher publisher = hub.publisher();
    publisher.publish(request(null, "air-1", "run1", Map.of("web", "1.0.0")));
    PublishedBundle second =
        publisher.publish(request(null, "air-1", "run2", Map.of("api", "2.0.0")));

    VerifiedBundle v =
        BundleVerifier.builder(
                TrustedKeys.of(hub.key.publicKey()), new ClusterIdentity(NS, "air-1"))
            .clock(hub.clock)
            .build()
            .verify(
                OciLayoutStore.directory(dir),
                "kapro/" + NS + "/air-1",
                BundleRepository.DESIRED_TAG,
                1);
    assertThat(v.digest()).isEqualTo(second.digest());
    assertThat(v.payload().units()).extracting(BundleUnit::name).containsExactly("api", "web");
  }
}
