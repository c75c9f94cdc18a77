package io.kapro.oci.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.testing.LocalRegistry;
import io.kapro.oci.testing.Registries;
import io.kapro.oci.testing.TestBundles;
import io.kapro.oci.verify.BundleVerifier;
import io.kapro.oci.verify.ClusterIdentity;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bearer token flow: 401 with a Bearer challenge, token from the realm, then the request. */
class RegistryTokenAuthIT {
  static LocalRegistry registry;

  @BeforeAll
  static void start() {
    registry = LocalRegistry.startWithTokenAuth("agent", "token-pw");
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void publishAndVerifyThroughTokenAuth() {
    SigningKey key = SigningKey.generate();
    RegistryStore store = new RegistryStore(Registries.config(registry));
    String repo = "kapro/team-a/tok";
    SignedBundle b =
        SignedBundle.sign(
            TestBundles.payload("team-a", "tok", 1, Instant.now(), Duration.ofHours(1)), key, repo);
    store.put(repo, b);
    BundleVerifier v =
        BundleVerifier.builder(
                TrustedKeys.of(key.publicKey()), new ClusterIdentity("team-a", "tok"))
            .build();
    assertThat(v.verify(store, repo, "desired", 0).digest()).isEqualTo(b.digest());
    assertThat(registry.tokenServer().tokensIssued()).isPositive();
  }

  @Test
  void wrongPasswordAtTheTokenServerIsAnAuthFailure() {
    RegistryStore store =
        new RegistryStore(
            Registries.config(registry, new RegistryConfig.Credentials.Basic("agent", "nope")));
    assertThatThrownBy(() -> store.listTags("kapro/team-a/tok"))
        .isInstanceOfSatisfying(
            OciException.class,
            e -> {
              assertThat(e.reason()).as(e.getMessage()).isEqualTo(Reason.AUTH_FAILED);
              assertThat(e.getMessage()).contains(registry.url());
            });
  }

  @Test
  void staticBearerTokenThatTheRegistryRejects() {
    RegistryStore store =
        new RegistryStore(
            Registries.config(registry, new RegistryConfig.Credentials.Bearer("not-a-jwt")));
    assertThatThrownBy(() -> store.resolve("kapro/team-a/tok", "desired"))
        .isInstanceOfSatisfying(
            OciException.class,
            e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(Reason.AUTH_FAILED));
  }
}
