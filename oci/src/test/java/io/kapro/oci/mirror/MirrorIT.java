package io.kapro.oci.mirror;

import static io.kapro.oci.mirror.Fixtures.publish;
import static io.kapro.oci.mirror.Fixtures.repo;
import static io.kapro.oci.mirror.Fixtures.violations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.mirror.MirrorReport.Refusal;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.store.OciLayoutStore;
import io.kapro.oci.store.RegistryStore;
import io.kapro.oci.testing.AttackCorpus;
import io.kapro.oci.testing.LocalRegistry;
import io.kapro.oci.testing.Registries;
import io.kapro.oci.verify.BundleVerifier;
import io.kapro.oci.verify.ClusterIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The air-gap path against real distribution registries on loopback: pull into a layout (directory
 * or tar), push into a second registry, sync between registries, with real signatures.
 */
class MirrorIT {
  static final SigningKey FLEET = SigningKey.generate();
  static final TrustedKeys KEYS = TrustedKeys.of(FLEET.publicKey());
  static final Mirror MIRROR = Mirror.builder(KEYS).build();
  static final List<String> CLUSTERS = List.of("team-a/edge-1", "team-a/edge-2", "team-b/edge-3");

  static LocalRegistry hub;
  static RegistryStore hubStore;

  /** cluster "ns/name" → its bundles, oldest first. */
  static final Map<String, List<SignedBundle>> PUBLISHED = new LinkedHashMap<>();

  @TempDir Path tmp;

  @BeforeAll
  static void publishFleet() {
    hub = LocalRegistry.startPlain();
    hubStore = new RegistryStore(Registries.config(hub));
    long seq = 1;
    for (String c : CLUSTERS) {
      String[] p = c.split("/");
      List<SignedBundle> bundles = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        bundles.add(publish(hubStore, FLEET, p[0], p[1], seq++));
      }
      PUBLISHED.put(c, bundles);
    }
  }

  @AfterAll
  static void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  private static String repoOf(String cluster) {
    String[] p = cluster.split("/");
    return repo(p[0], p[1]);
  }

  private static List<String> fleetRepos() {
    return CLUSTERS.stream().map(MirrorIT::repoOf).toList();
  }

  /** Every cluster's desired bundle verifies at {@code store} as its agent would check it. */
  private static void assertEveryClusterVerifies(BundleStore store) {
    for (String c : CLUSTERS) {
      String[] p = c.split("/");
      SignedBundle latest = PUBLISHED.get(c).get(PUBLISHED.get(c).size() - 1);
      BundleVerifier agent = BundleVerifier.builder(KEYS, new ClusterIdentity(p[0], p[1])).build();
      assertThat(agent.verify(store, repoOf(c), "desired", 0).digest())
          .as(c)
          .isEqualTo(latest.digest());
      for (SignedBundle b : PUBLISHED.get(c)) {
        assertThat(store.resolve(repoOf(c), b.bundle().sequenceTag()).map(Descriptor::digest))
            .contains(b.digest());
      }
    }
    assertThat(violations(store, fleetRepos())).isEmpty();
  }

  @Test
  void pullIntoADirectoryThenPushIntoAnotherTlsRegistry() {
    try (LocalRegistry spoke = LocalRegistry.startTls("mirror", "air-gap-pass")) {
      OciLayoutStore layout = OciLayoutStore.directory(tmp.resolve("usb"));
      MirrorReport pulled = MIRROR.pull(hubStore, layout, Selection.all("kapro"));
      assertThat(pulled.complete()).isTrue();
      assertThat(pulled.counts().manifestsCopied()).isEqualTo(12);
      assertEveryClusterVerifies(layout);

      RegistryStore spokeStore = new RegistryStore(Registries.config(spoke));
      MirrorReport pushed = MIRROR.push(layout, spokeStore, Selection.all("kapro"));

      assertThat(pushed.complete()).isTrue();
      assertThat(pushed.counts().manifestsCopied()).isEqualTo(12);
      assertThat(pushed.counts().blobsCopied()).isEqualTo(3 + 6 * 3);
      assertEveryClusterVerifies(spokeStore);
      for (String r : fleetRepos()) {
        assertThat(spokeStore.listTags(r))
            .containsExactlyInAnyOrderElementsOf(hubStore.listTags(r));
      }
    }
  }

  @Test
  void pullIntoATarThenPushFromIt() {
    Path tar = tmp.resolve("bundles.tar");
    try (OciLayoutStore out = OciLayoutStore.tar(tar)) {
      assertThat(MIRROR.pull(hubStore, out, Selection.all("kapro")).complete()).isTrue();
      assertThat(tar).doesNotExist(); // written at the end, atomically
    }
    assertThat(tar).exists();
    try (LocalRegistry spoke = LocalRegistry.startPlain();
        OciLayoutStore in = OciLayoutStore.tar(tar)) {
      RegistryStore spokeStore = new RegistryStore(Registries.config(spoke));
      assertThat(MIRROR.push(in, spokeStore, Selection.all("kapro")).complete()).isTrue();
      assertEveryClusterVerifies(spokeStore);
    }
  }

  @Test
  void blobTamperedInTheLayoutIsRefusedOnPushAndNothingOfItArrives() throws Exception {
    try (LocalRegistry source = LocalRegistry.startPlain();
        LocalRegistry spoke = LocalRegistry.startPlain()) {
      RegistryStore sourceStore = new RegistryStore(Registries.config(source));
      SignedBundle victim = publish(sourceStore, FLEET, "team-a", "victim", 1);
      publish(sourceStore, FLEET, "team-a", "bystander", 1);
      OciLayoutStore layout = OciLayoutStore.directory(tmp.resolve("usb"));
      assertThat(MIRROR.pull(sourceStore, layout, Selection.all("kapro")).complete()).isTrue();
      String repo = repo("team-a", "victim");
      Path layer =
          layout
              .root()
              .resolve(repo)
              .resolve("blobs/sha256")
              .resolve(Digests.hex(Digests.sha256(victim.bundle().layer())));
      Files.writeString(
          layer,
          new String(victim.bundle().layer(), StandardCharsets.UTF_8).replace("6.5.4", "6.6.6"));

      RegistryStore spokeStore = new RegistryStore(Registries.config(spoke));
      MirrorReport r = MIRROR.push(layout, spokeStore, Selection.all("kapro"));

      assertThat(r.complete()).isFalse();
      assertThat(r.refused())
          .singleElement()
          .satisfies(
              x -> {
                assertThat(x.repository()).isEqualTo(repo);
                assertThat(x.digest()).isEqualTo(victim.digest());
                assertThat(x.tags()).containsExactly("seq-1", "desired");
                assertThat(x.reason()).isEqualTo(Reason.LAYER_DIGEST_MISMATCH);
                assertThat(x.message()).contains(repo).contains(victim.digest());
              });
      assertThat(spokeStore.listTags(repo)).isEmpty();
      assertThat(spokeStore.resolve(repo, victim.digest())).isEmpty();
      assertThat(spokeStore.hasBlob(repo, Digests.sha256(victim.bundle().layer()))).isFalse();
      assertThat(spokeStore.resolve(repo("team-a", "bystander"), "desired")).isPresent();
    }
  }

  @Test
  void unsignedAndUntrustedBundlesAreRefusedAndNamedOnExport() {
    try (LocalRegistry source = LocalRegistry.startPlain()) {
      RegistryStore sourceStore = new RegistryStore(Registries.config(source));
      List<AttackCorpus.Attack> attacks =
          new AttackCorpus(FLEET, "kapro/attacks").writeInto(sourceStore);
      OciLayoutStore layout = OciLayoutStore.directory(tmp.resolve("usb"));

      MirrorReport r =
          MIRROR.pull(sourceStore, layout, Selection.namespaces("kapro", List.of("attacks")));

      Map<String, Refusal> byRepo = new LinkedHashMap<>();
      r.refused().forEach(x -> byRepo.put(x.repository(), x));
      for (String name : List.of("unsigned", "untrusted-key")) {
        AttackCorpus.Attack a =
            attacks.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        Refusal refusal = byRepo.get(a.repository());
        String digest = sourceStore.resolve(a.repository(), "desired").orElseThrow().digest();
        assertThat(refusal).as(name).isNotNull();
        assertThat(refusal.reason()).isEqualTo(a.expected());
        assertThat(refusal.digest()).isEqualTo(digest);
        assertThat(refusal.tags()).contains("desired");
        assertThat(refusal.message()).contains(a.repository()).contains(digest);
        assertThat(layout.repositories()).doesNotContain(a.repository());
      }
      assertThat(byRepo.keySet())
          .containsExactlyInAnyOrder(
              attacks.stream()
                  .filter(
                      a ->
                          !List.of(
                                  Reason.STALE_SEQUENCE,
                                  Reason.EXPIRED,
                                  Reason.NOT_YET_VALID,
                                  Reason.WRONG_CLUSTER,
                                  Reason.NOT_ALLOWED,
                                  Reason.LAYER_DIGEST_MISMATCH) // tampered only in transit views
                              .contains(a.expected()))
                  .map(AttackCorpus.Attack::repository)
                  .toArray(String[]::new));
    }
  }

  @Test
  void secondPullCopiesOnlyTheChangedClustersBundle() {
    try (LocalRegistry source = LocalRegistry.startPlain()) {
      RegistryStore sourceStore = new RegistryStore(Registries.config(source));
      for (String c : CLUSTERS) {
        String[] p = c.split("/");
        publish(sourceStore, FLEET, p[0], p[1], 1);
      }
      Path tar = tmp.resolve("usb.tar");
      try (OciLayoutStore out = OciLayoutStore.tar(tar)) {
        MirrorReport first = MIRROR.pull(sourceStore, out, Selection.all("kapro"));
        assertThat(first.counts().blobsCopied()).isEqualTo(3 * 4);
      }
      SignedBundle changed = publish(sourceStore, FLEET, "team-b", "edge-3", 2);

      MirrorReport second;
      try (OciLayoutStore out = OciLayoutStore.tar(tar)) {
        second = MIRROR.pull(sourceStore, out, Selection.all("kapro"));
      }

      assertThat(second.counts().blobsCopied()).isEqualTo(3); // layer, signature config, payload
      assertThat(second.counts().manifestsCopied()).isEqualTo(2); // bundle, signature
      assertThat(second.counts().tagsWritten()).isEqualTo(2); // seq-2, desired
      assertThat(second.counts().manifestsPresent()).isEqualTo(3 * 2);
      assertThat(second.repositories())
          .filteredOn(x -> x.copied() > 0)
          .singleElement()
          .satisfies(x -> assertThat(x.repository()).isEqualTo(repo("team-b", "edge-3")));
      try (OciLayoutStore in = OciLayoutStore.tar(tar)) {
        assertThat(in.resolve(repo("team-b", "edge-3"), "desired").map(Descriptor::digest))
            .contains(changed.digest());
      }
    }
  }

  @Test
  void registryStoppedMidPushLeavesConsistentTagsAndARerunCompletes() {
    OciLayoutStore layout = OciLayoutStore.directory(tmp.resolve("usb"));
    MIRROR.pull(hubStore, layout, Selection.all("kapro"));
    try (LocalRegistry spoke = LocalRegistry.startPlain()) {
      RegistryStore spokeStore = new RegistryStore(Registries.config(spoke));
      List<String> seen = new ArrayList<>();
      InterruptingStore dying =
          new InterruptingStore(
              spokeStore,
              17, // inside the second cluster: after its first bundle, before its desired
              spoke::stop,
              () -> seen.addAll(violations(spokeStore, fleetRepos())));

      Mirror sequential = Mirror.builder(KEYS).parallelism(1).build();
      assertThatThrownBy(() -> sequential.push(layout, dying, Selection.all("kapro")))
          .isInstanceOfSatisfying(
              OciException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
                assertThat(e.isRetryable()).isTrue();
                // Which repository the cut lands in depends on retries under load; the message
                // names it either way.
                assertThat(e.getMessage())
                    .contains(spoke.url())
                    .containsAnyOf(
                        "repository " + repo("team-a", "edge-1"),
                        "repository " + repo("team-a", "edge-2"))
                    .contains("run the same command again");
              });
      assertThat(seen).isEmpty();

      spoke.restart();
      assertThat(violations(spokeStore, fleetRepos())).isEmpty();
      // the cut came before the last desired tag: at least one cluster is not there yet (which
      // one depends on the order the repositories are carried in)
      assertThat(
              List.of(repo("team-a", "edge-1"), repo("team-a", "edge-2")).stream()
                  .filter(r -> spokeStore.resolve(r, "desired").isEmpty()))
          .isNotEmpty();

      MirrorReport resumed = MIRROR.push(layout, spokeStore, Selection.all("kapro"));
      assertThat(resumed.complete()).isTrue();
      assertEveryClusterVerifies(spokeStore);
    }
  }

  @Test
  void syncBetweenRegistriesByNamespaceAndByCluster() {
    try (LocalRegistry mirror = LocalRegistry.startPlain()) {
      RegistryStore mirrorStore = new RegistryStore(Registries.config(mirror));
      MirrorReport ns =
          MIRROR.sync(hubStore, mirrorStore, Selection.namespaces("kapro", List.of("team-a")));
      assertThat(ns.repositories())
          .extracting(MirrorReport.RepositoryResult::repository)
          .containsExactly(repo("team-a", "edge-1"), repo("team-a", "edge-2"));
      assertThat(mirrorStore.repositories())
          .containsExactlyInAnyOrder(repo("team-a", "edge-1"), repo("team-a", "edge-2"));

      MirrorReport one =
          MIRROR.sync(hubStore, mirrorStore, Selection.clusters("kapro", List.of("team-b/edge-3")));
      assertThat(one.complete()).isTrue();
      assertEveryClusterVerifies(mirrorStore);

      MirrorReport again = MIRROR.sync(hubStore, mirrorStore, Selection.all("kapro"));
      assertThat(again.counts().manifestsCopied()).isZero();
      assertThat(again.counts().blobsCopied()).isZero();
      assertThat(again.counts().manifestsPresent()).isEqualTo(12);
    }
  }

  @Test
  void unreachableSourceSaysWhereAndWhatToCheck() {
    RegistryStore nowhere =
        new RegistryStore(io.kapro.oci.store.RegistryConfig.plainHttp("127.0.0.1:1"));
    OciLayoutStore layout = OciLayoutStore.directory(tmp.resolve("usb"));
    assertThatThrownBy(() -> MIRROR.pull(nowhere, layout, Selection.all("kapro")))
        .isInstanceOfSatisfying(
            OciException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
              assertThat(e.getMessage())
                  .contains("mirror pull")
                  .contains("127.0.0.1:1")
                  .contains("cannot list");
            });
    assertThatThrownBy(
            () ->
                MIRROR.pull(nowhere, layout, Selection.clusters("kapro", List.of("team-a/edge-1"))))
        .hasMessageContaining("repository kapro/team-a/edge-1")
        .hasMessageContaining("127.0.0.1:1");
    assertThat(layout.repositories()).isEmpty();
  }
}
