package io.kapro.hub.ca;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

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
    return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=agent"), pair.getPublic())
        .build(new JcaContentSignerBuilder(algorithm).build(signer))
        .getEncoded();
  }

  public static byte[] csr(KeyPair pair) throws Exception {
    return csr(pair, pair.getPrivate(), "SHA256withECDSA");
  }
}
