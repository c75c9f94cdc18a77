package io.kapro.agent.tls;

import io.kapro.oci.sign.Pem;
import io.kapro.oci.sign.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A private key and the certificate chain (leaf first) the hub CA issued for it: what the agent
 * signs evidence artifacts with.
 */
public record SignerMaterial(PrivateKey key, List<X509Certificate> chain) {
  public SignerMaterial {
    chain = List.copyOf(chain);
    if (key == null || chain.isEmpty()) {
      throw new TlsException(
          TlsException.Reason.INVALID_CREDENTIALS,
          "a signer needs a private key and a certificate");
    }
    if (!AgentCredentials.keyMatches(key, chain.get(0).getPublicKey())) {
      throw new TlsException(
          TlsException.Reason.INVALID_CREDENTIALS,
          "the private key does not belong to the first certificate");
    }
  }

  /** The enrollment credentials' key and chain. */
  public static SignerMaterial of(AgentCredentials credentials) {
    return new SignerMaterial(credentials.key(), credentials.chain());
  }

  /** Reads a PEM file: the private key, then the certificate chain. */
  public static SignerMaterial read(Path file) {
    try {
      Pem.TlsMaterial p = AgentCredentials.readPem(Files.readString(file), file.toString());
      return new SignerMaterial(p.key(), p.certificates());
    } catch (IOException e) {
      throw new TlsException(
          TlsException.Reason.STORE_FAILED, "cannot read " + file + ": " + e.getMessage(), e);
    } catch (TlsException e) {
      throw new TlsException(e.reason(), file + ": " + e.getMessage(), e);
    }
  }

  /** The key in the form the OCI signer takes (public half from the leaf). */
  public SigningKey signingKey() {
    return SigningKey.of(new KeyPair(chain.get(0).getPublicKey(), key));
  }
}
