package io.kapro.hub.publish;

import static io.kapro.hub.publish.PublishFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.hub.target.PublishedBundle;
import io.kapro.oci.bundle.BundlePayload;
import io.kapro.oci.bundle.BundleRepository;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bundles are re-issued (new sequence, same content) before they expire, on a controlled clock. */
class ReissuerIT {
  private final PublishFixture hub = new PublishFixture();

  @AfterEach
  void close() {
    hub.close();
  }

  @Test
  void aBundleIsReissuedWithinReissueBeforeOfItsExpiryWithTheSameUnits() {
    hub.fleet("1h", "20m");
    hub.cluster("eu-1");
    hub.cluster("eu-2");
    hub.cluster("idle"); // never published: nothing to re-issue
    FleetPublisher publisher = hub.publisher();
    PublishedBundle first =
        publisher.publish(request(null, "eu-1", "run1", Map.of("web", "1.0.0", "api", "2.0.0")));
    hub.clock.advance(Duration.ofMinutes(10));
    publisher.publish(request(null, "eu-2", "run1", Map.of("web", "1.0.0")));
    var eu2Units = hub.verify("eu-2", BundleRepository.DESIRED_TAG, 0).payload().units();
    Reissuer reissuer = new Reissuer(publisher, hub.client, PublishFixture.NS);

    hub.clock.advance(Duration.ofMinutes(29)); // eu-1 expires in 21 min: not yet
    assertThat(reissuer.sweep()).isEmpty();

    hub.clock.advance(Duration.ofMinutes(2)); // eu-1 in 19 min (due), eu-2 in 29 min (not)
    List<PublishedBundle> reissued = reissuer.sweep();
    assertThat(reissued)
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.sequence()).isEqualTo(2);
              assertThat(b.expiresAt()).isEqualTo(hub.clock.instant().plus(Duration.ofHours(1)));
            });
    BundlePayload again =
        hub.verify("eu-1", BundleRepository.DESIRED_TAG, first.sequence()).payload();
    BundlePayload before = hub.verify("eu-1", first.digest(), 0).payload();
    assertThat(again.sequence()).isEqualTo(2);
    assertThat(again.units()).isEqualTo(before.units());
    assertThat(again.run()).isEqualTo("run1");
    assertThat(hub.getCluster("eu-1").getStatus().getSequence().getPublished()).isEqualTo(2);
    assertThat(reissuer.sweep()).isEmpty();

    // A long outage: the bundle has already expired; it is still re-issued, fresh.
    hub.clock.advance(Duration.ofHours(5));
    assertThat(reissuer.sweep()).hasSize(2);
    assertThat(hub.verify("eu-2", BundleRepository.DESIRED_TAG, 1).payload().units())
        .isEqualTo(eu2Units);
  }
}
