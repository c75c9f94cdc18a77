package io.kapro.hub.ca;

import io.kapro.oci.sign.Csrs;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;

/** Key pairs and CSRs the way an agent makes them. */
public final class TestKeys {
  private TestKeys() {}

  public static KeyPair ec() {
    return HubCa.newKeyPair();
  }

  public static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  public static KeyPair ecP384() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp384r1"));
    return g.generateKeyPair();
  }

  /** A CSR for {@code pair}, signed with {@code signer} (normally the pair's own key). */
  public static byte[] csr(KeyPair pair, PrivateKey signer, String algorithm) throws Exception {
    return Csrs.csr(pair, signer, algorithm);
  }

  public static byte[] csr(KeyPair pair) throws Exception {
    return Csrs.csr(pair);
  }
}
