package io.kapro.oci.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.BundlePayload;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.testing.LocalRegistry;
import io.kapro.oci.testing.Registries;
import io.kapro.oci.testing.TestBundles;
import io.kapro.oci.verify.BundleVerifier;
import io.kapro.oci.verify.ClusterIdentity;
import io.kapro.oci.verify.VerifiedBundle;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Publish → resolve → fetch → verify against the real distribution registry, plain and TLS. */
class RegistryStoreIT {
  static LocalRegistry plain;
  static LocalRegistry tls;
  static final SigningKey KEY = SigningKey.generate();

  @BeforeAll
  static void start() {
    plain = LocalRegistry.startPlain();
    tls = LocalRegistry.startTls("hub", "s3cret-pass");
  }

  @AfterAll
  static void stop() {
    if (plain != null) {
      plain.close();
    }
    if (tls != null) {
      tls.close();
    }
  }

  @Test
  void roundTripPlainHttp() {
    roundTrip(new RegistryStore(Registries.config(plain)), "plain");
  }

  @Test
  void roundTripTlsWithHtpasswd() {
    roundTrip(new RegistryStore(Registries.config(tls)), "tls");
  }

  private static void roundTrip(BundleStore store, String cluster) {
    String repo = BundleRepository.of("kapro", "team-a", cluster);
    BundlePayload p1 =
        TestBundles.payload("team-a", cluster, 1, Instant.now(), Duration.ofHours(1));
    BundlePayload p2 =
        TestBundles.payload("team-a", cluster, 2, Instant.now(), Duration.ofHours(1));
    SignedBundle b1 = SignedBundle.sign(p1, KEY, store.location() + "/" + repo);
    SignedBundle b2 = SignedBundle.sign(p2, KEY, store.location() + "/" + repo);

    assertThat(store.put(repo, b1)).isEqualTo(b1.digest());
    assertThat(store.put(repo, b2)).isEqualTo(b2.digest());

    assertThat(store.resolve(repo, "desired"))
        .get()
        .satisfies(d -> assertThat(d.digest()).isEqualTo(b2.digest()));
    assertThat(store.resolve(repo, "seq-1"))
        .get()
        .satisfies(d -> assertThat(d.digest()).isEqualTo(b1.digest()));
    assertThat(store.resolve(repo, "missing")).isEmpty();
    assertThat(store.listTags(repo))
        .contains(
            "desired",
            "seq-1",
            "seq-2",
            BundleRepository.signatureTag(b1.digest()),
            BundleRepository.signatureTag(b2.digest()));
    assertThat(store.fetchManifest(repo, b2.digest(), 65536)).isEqualTo(b2.bundle().manifest());
    assertThat(store.fetchBlob(repo, Digests.sha256(b2.bundle().layer()), 1 << 20))
        .isEqualTo(b2.bundle().layer());
    assertThat(store.fetchManifest(repo, BundleRepository.signatureTag(b2.digest()), 65536))
        .isEqualTo(b2.signature().manifest());

    BundleVerifier verifier =
        BundleVerifier.builder(
                TrustedKeys.of(KEY.publicKey()), new ClusterIdentity("team-a", cluster))
            .build();
    VerifiedBundle v = verifier.verify(store, repo, "desired", 1);
    assertThat(v.payload()).isEqualTo(p2);
    assertThat(v.digest()).isEqualTo(b2.digest());
    assertThat(v.keyId()).isEqualTo(KEY.keyId());
    assertThatThrownBy(() -> verifier.verify(store, repo, "desired", 2))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.STALE_SEQUENCE));
  }

  @Test
  void wrongPasswordSaysWhatToCheck() {
    RegistryStore store =
        new RegistryStore(
            Registries.config(tls, new RegistryConfig.Credentials.Basic("hub", "wrong")));
    assertThatThrownBy(() -> store.putBlob("kapro/team-a/x", new byte[] {1, 2, 3}))
        .isInstanceOfSatisfying(
            OciException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.AUTH_FAILED);
              assertThat(e.getMessage())
                  .contains(tls.url())
                  .contains("401")
                  .contains("username and password");
            });
  }

  @Test
  void missingCredentialsSaySo() {
    RegistryStore store =
        new RegistryStore(Registries.config(tls, new RegistryConfig.Credentials.None()));
    assertThatThrownBy(() -> store.resolve("kapro/team-a/x", "desired"))
        .isInstanceOfSatisfying(
            OciException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.AUTH_FAILED);
              assertThat(e.getMessage()).contains("none were given");
            });
  }

  @Test
  void untrustedCaSaysWhatToCheck() {
    RegistryStore store =
        new RegistryStore(new RegistryConfig(tls.host(), false, Registries.credentials(tls), null));
    assertThatThrownBy(() -> store.resolve("kapro/team-a/x", "desired"))
        .isInstanceOfSatisfying(
            OciException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.TLS_FAILED);
              assertThat(e.getMessage()).contains(tls.url()).contains("not trusted").contains("CA");
            });
  }

  @Test
  void httpsAgainstPlainRegistryIsATlsFailure() {
    RegistryStore store = new RegistryStore(new RegistryConfig(plain.host(), false, null, null));
    assertThatThrownBy(() -> store.listTags("kapro/team-a/x"))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TLS_FAILED));
  }

  @Test
  void unreachableRegistryIsRetryable() {
    RegistryStore store = new RegistryStore(RegistryConfig.plainHttp("127.0.0.1:1"));
    assertThatThrownBy(() -> store.resolve("kapro/team-a/x", "desired"))
        .isInstanceOfSatisfying(
            OciException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
              assertThat(e.isRetryable()).isTrue();
              assertThat(e.getMessage()).contains("127.0.0.1:1");
            });
  }

  @Test
  void oversizedManifestIsRefusedBeforeDownload() {
    RegistryStore store = new RegistryStore(Registries.config(plain));
    String repo = "kapro/team-a/size";
    SignedBundle b =
        SignedBundle.sign(
            TestBundles.payload("team-a", "size", 1, Instant.now(), Duration.ofHours(1)),
            KEY,
            repo);
    store.put(repo, b);
    assertThatThrownBy(() -> store.fetchManifest(repo, "desired", 100))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
    assertThatThrownBy(() -> store.fetchBlob(repo, Digests.sha256(b.bundle().layer()), 10))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
  }
}
