package io.kapro.oci.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.oci.OciException;
import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 18 item 7: where registry credentials may go (the rule behind tokens and redirects). */
class RegistryCredentialScopeTest {
  static final RegistryConfig HTTPS =
      new RegistryConfig("reg.example:5000", false, null, null)
          .withAuthHosts(Set.of("Auth.Example"));

  @Test
  void credentialsGoToTheRegistryHostOnAnyPortAndToAllowedHostsOverHttps() {
    assertThat(HTTPS.mayReceiveCredentials(URI.create("https://reg.example:5000/v2/"))).isTrue();
    assertThat(HTTPS.mayReceiveCredentials(URI.create("https://REG.example/token"))).isTrue();
    assertThat(HTTPS.mayReceiveCredentials(URI.create("https://auth.example/token"))).isTrue();
  }

  @Test
  void anotherHostGetsNoCredentials() {
    assertThat(HTTPS.mayReceiveCredentials(URI.create("https://evil.example/token"))).isFalse();
    assertThat(HTTPS.mayReceiveCredentials(URI.create("https://reg.example.evil/token"))).isFalse();
  }

  @Test
  void aPlainHttpRealmIsRefusedWhenTheRegistryIsHttps() {
    assertThat(HTTPS.mayReceiveCredentials(URI.create("http://reg.example/token"))).isFalse();
    assertThat(HTTPS.mayReceiveCredentials(URI.create("http://auth.example/token"))).isFalse();
    RegistryConfig plain = RegistryConfig.plainHttp("127.0.0.1:5000");
    assertThat(plain.mayReceiveCredentials(URI.create("http://127.0.0.1:5001/token"))).isTrue();
  }

  @Test
  void authHostsAreHostNamesOnly() {
    for (String bad : Set.of("https://x", "x:443", "*.example", "x/y")) {
      assertThatThrownBy(() -> HTTPS.withAuthHosts(Set.of(bad)))
          .isInstanceOf(OciException.class)
          .hasMessageContaining("authHosts");
    }
  }
}
