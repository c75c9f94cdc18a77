package io.kapro.hub.gateway;

import io.grpc.util.AdvancedTlsX509KeyManager;
import io.kapro.hub.ca.HubCa;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's server certificate, swappable at run time: new TLS handshakes use the new
 * certificate, open connections keep theirs. Issued by the hub CA and re-issued at two thirds of
 * its lifetime, or replaced with {@link #update}.
 */
public final class ServerIdentity {
  private static final Logger LOG = LoggerFactory.getLogger(ServerIdentity.class);

  private final AdvancedTlsX509KeyManager keyManager = new AdvancedTlsX509KeyManager();
  private final HubCa ca;
  private final List<String> dnsNames;
  private final Duration lifetime;
  private final Clock clock;
  private volatile X509Certificate current;

  ServerIdentity(HubCa ca, List<String> dnsNames, Duration lifetime, Clock clock) {
    this.ca = ca;
    this.dnsNames = List.copyOf(dnsNames);
    this.lifetime = lifetime;
    this.clock = clock;
    rotate();
  }

  AdvancedTlsX509KeyManager keyManager() {
    return keyManager;
  }

  /** The certificate new connections are served with. */
  public X509Certificate current() {
    return current;
  }

  /** Issues a fresh key and certificate from the hub CA and serves it from now on. */
  public X509Certificate rotate() {
    KeyPair pair = HubCa.newKeyPair();
    X509Certificate cert = ca.issueServer(pair.getPublic(), dnsNames, lifetime);
    update(pair.getPrivate(), new X509Certificate[] {cert, ca.certificate()});
    return cert;
  }

  /** Serves {@code chain} (leaf first) with {@code key} from now on. */
  public void update(PrivateKey key, X509Certificate[] chain) {
    keyManager.updateIdentityCredentials(chain, key);
    current = chain[0];
    LOG.info(
        "gateway serves certificate {} until {}",
        chain[0].getSerialNumber().toString(16),
        chain[0].getNotAfter().toInstant());
  }

  /** Rotates when two thirds of the current certificate's lifetime have passed. */
  boolean rotateIfDue() {
    X509Certificate c = current;
    Instant from = c.getNotBefore().toInstant();
    Instant to = c.getNotAfter().toInstant();
    Instant due = from.plus(Duration.between(from, to).multipliedBy(2).dividedBy(3));
    if (clock.instant().isBefore(due)) {
      return false;
    }
    rotate();
    return true;
  }
}
