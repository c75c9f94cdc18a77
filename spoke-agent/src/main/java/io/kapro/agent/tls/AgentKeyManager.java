package io.kapro.agent.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The agent's client key and certificate chain handed to the JDK's TLS as they are, in memory
 * (issue 22): a PKCS#12 key store with a password, as {@code KeyManagerFactory} wants one, runs a
 * PBKDF2 derivation to store the key and another to read it back, at every channel and renewal. The
 * key is offered for the client key types the handshake asks for that match its algorithm, whatever
 * the issuers the server names (the gateway verifies the chain itself); never as a server key.
 */
public final class AgentKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "agent";

  private final PrivateKey key;
  private final X509Certificate[] chain;

  /**
   * @param key the client's private key
   * @param chain its certificate chain, leaf first
   */
  public AgentKeyManager(PrivateKey key, List<X509Certificate> chain) {
    if (key == null || chain.isEmpty()) {
      throw new IllegalArgumentException("a client key manager needs a key and a certificate");
    }
    this.key = key;
    this.chain = chain.toArray(X509Certificate[]::new);
  }

  /** The key manager for {@code credentials}' key and chain. */
  public static AgentKeyManager of(AgentCredentials credentials) {
    return new AgentKeyManager(credentials.key(), credentials.chain());
  }

  private String alias(String... keyTypes) {
    if (keyTypes != null) {
      for (String t : keyTypes) {
        if (matches(t)) {
          return ALIAS;
        }
      }
    }
    return null;
  }

  /** The JDK names EC client keys "EC"; BouncyCastle, when it made the key, "ECDSA". */
  private boolean matches(String keyType) {
    String alg = key.getAlgorithm();
    if (keyType == null) {
      return false;
    }
    if (keyType.equalsIgnoreCase(alg)) {
      return true;
    }
    boolean ec = alg.equals("EC") || alg.equals("ECDSA");
    return ec && (keyType.equals("EC") || keyType.equals("ECDSA"));
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return alias(keyType) == null ? null : new String[] {ALIAS};
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return alias(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return alias(keyTypes);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }
}
