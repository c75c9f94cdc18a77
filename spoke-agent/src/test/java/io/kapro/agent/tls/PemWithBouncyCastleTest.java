package io.kapro.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.agent.testing.TestCa;
import java.nio.file.Path;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * oras-java registers BouncyCastle JVM-wide; the agent loads it, so stored credentials must still
 * load afterwards (BouncyCastle names EC keys "ECDSA", which the key check once mistook for RSA).
 */
class PemWithBouncyCastleTest {
  @TempDir Path state;
  private static boolean added;

  @BeforeAll
  static void registerBouncyCastleFirst() {
    added = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null;
    if (added) {
      Security.insertProviderAt(new BouncyCastleProvider(), 1);
    }
  }

  @AfterAll
  static void unregister() {
    if (added) {
      Security.removeProvider(BouncyCastleProvider.PROVIDER_NAME);
    }
  }

  @Test
  void credentialsSavedAndLoadedWithBouncyCastleRegistered() throws Exception {
    AgentCredentials c = FileCredentialStoreTest.credentials(new TestCa());
    FileCredentialStore store = new FileCredentialStore(state);
    store.save(c);
    AgentCredentials back = store.load().orElseThrow();
    assertThat(back.serial()).isEqualTo(c.serial());
    assertThat(back.identity()).isEqualTo("spiffe://kapro/ns/a/cluster/b");
  }
}
