package io.kapro.hub.kube;

import static io.kapro.hub.publish.PublishFixture.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.v1alpha2.BundleSequence;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterStatus;
import io.kapro.hub.publish.PublishFixture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A write that raced with another writer gets a 409 and is recomputed on a fresh read. */
class StatusUpdateIT {
  private final PublishFixture hub = new PublishFixture();

  @AfterEach
  void close() {
    hub.close();
  }

  @Test
  void aConflictingWriteIsRetriedOnAFreshReadAndLosesNothing() {
    hub.cluster("eu-1");
    AtomicInteger attempts = new AtomicInteger();
    Cluster written =
        StatusUpdate.update(
                hub.client,
                Cluster.class,
                NS,
                "eu-1",
                c -> {
                  if (attempts.getAndIncrement() == 0) {
                    // another replica reserves sequence 7 between our read and our write
                    Cluster other = hub.getCluster("eu-1");
                    ClusterStatus s = new ClusterStatus();
                    BundleSequence seq = new BundleSequence();
                    seq.setReserved(7L);
                    s.setSequence(seq);
                    other.setStatus(s);
                    hub.client.resource(other).updateStatus();
                  }
                  if (c.getStatus() == null) {
                    c.setStatus(new ClusterStatus());
                  }
                  c.getStatus().setAgentVersion("0.1.0");
                  return true;
                })
            .orElseThrow();
    assertThat(attempts).hasValue(2);
    assertThat(written.getStatus().getAgentVersion()).isEqualTo("0.1.0");
    assertThat(hub.getCluster("eu-1").getStatus().getSequence().getReserved()).isEqualTo(7);
  }

  @Test
  void aMissingObjectIsEmptyAndANoOpWritesNothing() {
    assertThat(StatusUpdate.update(hub.client, Cluster.class, NS, "gone", c -> true)).isEmpty();
    hub.cluster("eu-2");
    String rv = hub.getCluster("eu-2").getMetadata().getResourceVersion();
    StatusUpdate.update(hub.client, Cluster.class, NS, "eu-2", c -> false);
    assertThat(hub.getCluster("eu-2").getMetadata().getResourceVersion()).isEqualTo(rv);
  }
}
