package io.kapro.hub.publish;

import static io.kapro.hub.publish.PublishFixture.NS;
import static io.kapro.hub.publish.PublishFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterStatus;
import io.kapro.api.v1alpha2.ProvenVersion;
import io.kapro.hub.target.PublishException;
import io.kapro.hub.target.PublishedBundle;
import io.kapro.oci.OciException;
import io.kapro.oci.bundle.BundlePayload;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.FieldSet;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.store.RetryPolicy;
import io.kapro.oci.testing.ForwardingStore;
import io.kapro.oci.verify.VerifiedBundle;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The publisher against the mock API server and the real distribution registry. */
class FleetPublisherIT {
  private final PublishFixture hub = new PublishFixture();

  @AfterEach
  void close() {
    hub.close();
  }

  @Test
  void aTargetsBundleVerifiesWithTheFleetKeyAndSetsEachUnitsField() {
    hub.cluster("eu-1");
    hub.target("run1-prod-eu-1", "eu-1", "run1", Map.of("web", "1.2.0"));
    PublishedBundle b =
        hub.publisher()
            .publish(
                request(
                    "run1-prod-eu-1",
                    "eu-1",
                    "run1",
                    Map.of(
                        "web",
                        "1.2.0",
                        "api",
                        "2.0.0",
                        "cfg",
                        "2.0.0",
                        "site",
                        "3.1.0",
                        "chart",
                        "sha256:" + "b".repeat(64),
                        "src",
                        "6.5.1")));

    VerifiedBundle v = hub.verify("eu-1", BundleRepository.DESIRED_TAG, 0);
    assertThat(v.digest()).isEqualTo(b.digest());
    BundlePayload p = v.payload();
    assertThat(p.sequence()).isEqualTo(1).isEqualTo(b.sequence());
    assertThat(p.fleet()).isEqualTo("shop");
    assertThat(p.run()).isEqualTo("run1");
    assertThat(p.expiresAt()).isEqualTo(hub.clock.instant().plusSeconds(24 * 3600));
    Map<String, FieldSet> fields =
        p.units().stream().collect(Collectors.toMap(BundleUnit::name, u -> u.set().getFirst()));
    assertThat(fields)
        .containsEntry("web", new FieldSet("spec.chart.spec.version", "1.2.0"))
        .containsEntry("api", new FieldSet("spec.images[name=ghcr.io/acme/api].newTag", "2.0.0"))
        .containsEntry("cfg", new FieldSet("spec.postBuild.substitute.APP_VERSION", "2.0.0"))
        .containsEntry(
            "site",
            new FieldSet(
                "spec.source.kustomize.images[image=ghcr.io/acme/site]", "ghcr.io/acme/site:3.1.0"))
        .containsEntry(
            "chart",
            new FieldSet(
                "spec.source.helm.parameters[name=image.tag].value", "sha256:" + "b".repeat(64)))
        .containsEntry("src", new FieldSet("spec.ref.tag", "6.5.1"));
    BundleUnit web =
        p.units().stream().filter(u -> u.name().equals("web")).findFirst().orElseThrow();
    assertThat(web.object().apiVersion()).isEqualTo("helm.toolkit.fluxcd.io/v2");
    assertThat(web.object().kind()).isEqualTo("HelmRelease");
    assertThat(web.object().namespace()).isEqualTo("flux-system");
    assertThat(web.backend()).isEqualTo("Flux");

    ClusterStatus s = hub.getCluster("eu-1").getStatus();
    assertThat(s.getSequence().getReserved()).isEqualTo(1);
    assertThat(s.getSequence().getPublished()).isEqualTo(1);
    assertThat(s.getPublishedDigest()).isEqualTo(b.digest());
    assertThat(hub.getTarget("run1-prod-eu-1").getStatus().getBundle().getDigest())
        .isEqualTo(b.digest());
  }

  @Test
  void sequencesStrictlyIncreaseAndOtherUnitsKeepTheirDesiredOrProvenVersion() {
    Cluster c = hub.cluster("eu-2");
    ClusterStatus status = new ClusterStatus();
    ProvenVersion proven = new ProvenVersion();
    proven.setVersion("0.9.0");
    status.setVersions(Map.of("src", proven));
    c.setStatus(status);
    hub.client.resource(c).updateStatus();

    FleetPublisher publisher = hub.publisher();
    PublishedBundle first =
        publisher.publish(request(null, "eu-2", "run1", Map.of("web", "1.0.0")));
    PublishedBundle second =
        publisher.publish(request(null, "eu-2", "run2", Map.of("api", "2.0.0")));
    PublishedBundle third =
        hub.publisher().publish(request(null, "eu-2", "run3", Map.of("web", "1.1.0")));

    assertThat(first.sequence()).isEqualTo(1);
    assertThat(second.sequence()).isEqualTo(2);
    assertThat(third.sequence()).isEqualTo(3);
    BundlePayload p = hub.verify("eu-2", BundleRepository.DESIRED_TAG, 2).payload();
    assertThat(p.units().stream().collect(Collectors.toMap(BundleUnit::name, BundleUnit::version)))
        .isEqualTo(Map.of("web", "1.1.0", "api", "2.0.0", "src", "0.9.0"));
    assertThat(hub.verify("eu-2", BundleRepository.sequenceTag(1), 0).payload().units())
        .extracting(BundleUnit::name)
        .containsExactly("src", "web");
  }

  @Test
  void aHubKilledBetweenReservingAndPushingNeverReusesTheSequence() {
    hub.cluster("eu-3");
    PublishedBundle before =
        hub.publisher().publish(request(null, "eu-3", "run1", Map.of("web", "1.0.0")));
    // The "killed" hub: its store dies after the bundle's blobs and seq tag are up, before desired.
    FleetStores dying = new FleetStores(hub.client, DyingStore::new);
    FleetPublisher killed = new FleetPublisher(hub.client, hub.clock, dying, RetryPolicy.none());
    assertThatThrownBy(() -> killed.publish(request(null, "eu-3", "run2", Map.of("web", "2.0.0"))))
        .isInstanceOf(PublishException.class)
        .hasMessageContaining("seq-2")
        .satisfies(
            e ->
                assertThat(((PublishException) e).reason())
                    .isEqualTo(PublishException.Reason.STORE_FAILED));
    ClusterStatus s = hub.getCluster("eu-3").getStatus();
    assertThat(s.getSequence().getReserved()).isEqualTo(2);
    assertThat(s.getSequence().getPublished()).isEqualTo(1);

    PublishedBundle after =
        hub.publisher().publish(request(null, "eu-3", "run2", Map.of("web", "2.0.0")));
    assertThat(after.sequence()).isGreaterThan(2).isGreaterThan(before.sequence());
    VerifiedBundle v = hub.verify("eu-3", BundleRepository.DESIRED_TAG, 2);
    assertThat(v.payload().sequence()).isEqualTo(after.sequence());
    assertThat(v.payload().units()).extracting(BundleUnit::version).containsExactly("2.0.0");
  }

  @Test
  void theTargetNamesItsBundleBeforeAnAgentCanSeeIt() {
    hub.cluster("eu-6");
    hub.target("run1-prod-eu-6", "eu-6", "run1", Map.of("web", "1.0.0"));
    java.util.List<String> seenAtDesired = new java.util.concurrent.CopyOnWriteArrayList<>();
    FleetStores watching =
        new FleetStores(
            hub.client,
            store ->
                new WatchingStore(
                    store,
                    () -> {
                      var b = hub.getTarget("run1-prod-eu-6").getStatus().getBundle();
                      seenAtDesired.add(b == null ? "none" : b.getSequence() + "/" + b.getDigest());
                    }));
    PublishedBundle b =
        new FleetPublisher(hub.client, hub.clock, watching, RetryPolicy.none())
            .publish(request("run1-prod-eu-6", "eu-6", "run1", Map.of("web", "1.0.0")));
    // an agent polling the desired tag may report (evidence or a rejection) at once: the Target
    // already carries the sequence and digest the report names
    assertThat(seenAtDesired).containsExactly(b.sequence() + "/" + b.digest());
    assertThat(hub.getTarget("run1-prod-eu-6").getStatus().getBundle().getPublishedAt())
        .isNotNull();
  }

  /** Runs a hook just before the desired tag moves (when agents can first see the bundle). */
  private static final class WatchingStore extends ForwardingStore {
    private final Runnable beforeDesired;

    WatchingStore(BundleStore delegate, Runnable beforeDesired) {
      super(delegate);
      this.beforeDesired = beforeDesired;
    }

    @Override
    public void putManifest(String repository, String reference, byte[] manifest) {
      if (reference.equals(BundleRepository.DESIRED_TAG)) {
        beforeDesired.run();
      }
      delegate.putManifest(repository, reference, manifest);
    }
  }

  @Test
  void aRecreatedClusterContinuesAboveTheSequencesInTheRegistry() {
    hub.cluster("eu-4");
    hub.publisher().publish(request(null, "eu-4", "run1", Map.of("web", "1.0.0")));
    hub.publisher().publish(request(null, "eu-4", "run2", Map.of("web", "1.1.0")));
    hub.client.resources(Cluster.class).inNamespace(NS).withName("eu-4").delete();
    org.awaitility.Awaitility.await().until(() -> hub.getCluster("eu-4") == null);
    hub.cluster("eu-4");
    assertThat(
            hub.publisher()
                .publish(request(null, "eu-4", "run3", Map.of("web", "1.2.0")))
                .sequence())
        .isEqualTo(3);
  }

  @Test
  void aRecreatedClusterCountsOnlySeqTagsOfBundlesSignedWithTheFleetKey() {
    hub.cluster("eu-6");
    hub.publisher().publish(request(null, "eu-6", "run1", Map.of("web", "1.0.0")));
    PublishedBundle second =
        hub.publisher().publish(request(null, "eu-6", "run2", Map.of("web", "1.1.0")));
    String repo = hub.repository("eu-6");
    BundleStore store = hub.store();
    // someone with push rights but without the Fleet's key: a bundle at the end of the range,
    // signed with another key, and a bare tag seq-500 on the genuine seq-2 manifest
    BundlePayload near =
        hub.verify("eu-6", BundleRepository.sequenceTag(2), 0).payload().withMinSequence(0);
    BundlePayload forged =
        new BundlePayload(
            near.schemaVersion(),
            near.cluster(),
            near.namespace(),
            near.fleet(),
            near.run(),
            BundlePayload.MAX_SEQUENCE,
            near.issuedAt(),
            near.expiresAt(),
            near.units(),
            false);
    store.put(repo, SignedBundle.sign(forged, SigningKey.generate(), repo));
    store.putManifest(repo, "seq-500", store.fetchManifest(repo, second.digest(), 64 * 1024));
    assertThat(store.listTags(repo)).contains("seq-500", "seq-" + BundlePayload.MAX_SEQUENCE);

    hub.client.resources(Cluster.class).inNamespace(NS).withName("eu-6").delete();
    org.awaitility.Awaitility.await().until(() -> hub.getCluster("eu-6") == null);
    hub.cluster("eu-6");
    assertThat(
            hub.publisher()
                .publish(request(null, "eu-6", "run3", Map.of("web", "1.2.0")))
                .sequence())
        .isEqualTo(3);
  }

  @Test
  void theSignedBundleCarriesTheAcknowledgedSequenceAndTheLastEvidenceNumberAsTheAgentsFloors() {
    Cluster c = hub.cluster("eu-7");
    hub.publisher().publish(request(null, "eu-7", "run1", Map.of("web", "1.0.0")));
    assertThat(hub.verify("eu-7", BundleRepository.DESIRED_TAG, 0).payload().minSequence())
        .isZero();
    assertThat(hub.verify("eu-7", BundleRepository.DESIRED_TAG, 0).payload().minEvidenceNumber())
        .isZero();
    c = hub.getCluster("eu-7");
    c.getStatus().getSequence().setAcknowledged(1L);
    c.getStatus().setLastEvidenceNumber(75L);
    hub.client.resource(c).updateStatus();
    hub.publisher().publish(request(null, "eu-7", "run2", Map.of("web", "1.1.0")));
    BundlePayload p = hub.verify("eu-7", BundleRepository.DESIRED_TAG, 1).payload();
    assertThat(p.sequence()).isEqualTo(2);
    assertThat(p.minSequence()).isEqualTo(1);
    // and the last evidence number it holds, so an agent that lost its state numbers above it
    assertThat(p.minEvidenceNumber()).isEqualTo(75);
  }

  @Test
  void missingOrBadSigningKeysUnknownUnitsAndPausedClustersAreRefusedClearly() {
    hub.cluster("eu-5");
    FleetPublisher publisher = hub.publisher();
    hub.client.secrets().inNamespace(NS).withName(PublishFixture.KEY_SECRET).delete();
    org.awaitility.Awaitility.await()
        .until(
            () ->
                hub.client.secrets().inNamespace(NS).withName(PublishFixture.KEY_SECRET).get()
                    == null);
    assertThatThrownBy(() -> publisher.publish(request(null, "eu-5", "r", Map.of("web", "1"))))
        .isInstanceOf(PublishException.class)
        .hasMessageContaining("Secret team-a/shop-signing does not exist")
        .hasMessageContaining("cosign.key")
        .satisfies(
            e ->
                assertThat(((PublishException) e).reason())
                    .isEqualTo(PublishException.Reason.INVALID_SPEC));

    // the hub chart grants get on named Secrets only: a Secret not on the list is forbidden
    hub.api.forbid("GET", "/api/v1/namespaces/" + NS + "/secrets/" + PublishFixture.KEY_SECRET);
    try {
      assertThatThrownBy(() -> publisher.publish(request(null, "eu-5", "r", Map.of("web", "1"))))
          .isInstanceOf(PublishException.class)
          .hasMessageContaining("may not read Secret team-a/shop-signing (forbidden)")
          .hasMessageContaining("rbac.tenantSecretNames")
          .satisfies(
              e ->
                  assertThat(((PublishException) e).reason())
                      .isEqualTo(PublishException.Reason.INVALID_SPEC));
    } finally {
      hub.api.allowAll();
    }

    hub.signingSecret(PublishFixture.KEY_SECRET, "other.key", hub.key.privateKeyPem());
    assertThatThrownBy(() -> publisher.publish(request(null, "eu-5", "r", Map.of("web", "1"))))
        .hasMessageContaining("has no key 'cosign.key'")
        .hasMessageContaining("other.key");

    hub.signingSecret(
        PublishFixture.KEY_SECRET,
        "cosign.key",
        "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> publisher.publish(request(null, "eu-5", "r", Map.of("web", "1"))))
        .hasMessageContaining("is not a PEM PKCS#8 ECDSA P-256 private key");

    assertThatThrownBy(() -> publisher.publish(request(null, "eu-5", "r", Map.of("nope", "1"))))
        .hasMessageContaining("unit 'nope' is not declared in Fleet team-a/shop");
    assertThatThrownBy(() -> publisher.publish(request(null, "eu-5", "r", Map.of("web", "1.0\n"))))
        .hasMessageContaining("control characters");
    assertThatThrownBy(() -> publisher.publish(request(null, "Bad_Name", "r", Map.of("web", "1"))))
        .isInstanceOf(PublishException.class)
        .hasMessageContaining("Bad_Name");

    Cluster paused = hub.getCluster("eu-5");
    paused.getSpec().setPaused(true);
    hub.client.resource(paused).update();
    assertThatThrownBy(() -> publisher.publish(request(null, "eu-5", "r", Map.of("web", "1"))))
        .hasMessageContaining("paused");
    // Nothing was reserved by any refused request.
    assertThat(hub.getCluster("eu-5").getStatus()).isNull();
  }

  /** A store whose process dies after the seq tag was pushed, before the desired tag. */
  private static final class DyingStore extends ForwardingStore {
    DyingStore(BundleStore delegate) {
      super(delegate);
    }

    @Override
    public void putManifest(String repository, String reference, byte[] manifest) {
      if (reference.equals(BundleRepository.DESIRED_TAG)) {
        throw new OciException(
            OciException.Reason.UNREACHABLE, "hub killed before moving the desired tag");
      }
      delegate.putManifest(repository, reference, manifest);
    }
  }
}
