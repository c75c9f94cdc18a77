package io.kapro.hub.ca;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** The hub CA's certificate and private key, as persisted in a {@link CaStore}. */
public record CaMaterial(X509Certificate certificate, PrivateKey privateKey) {
  public CaMaterial {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
  }
}
