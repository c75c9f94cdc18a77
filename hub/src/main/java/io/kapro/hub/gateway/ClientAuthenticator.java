package io.kapro.hub.gateway;

import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.ca.HubCa;
import io.kapro.hub.link.LinkException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Turns a TLS session into an {@link AuthenticatedAgent}: a client certificate issued by the hub
 * CA, valid now, not revoked, the cluster's current certificate (a renewal or a new enrollment
 * retires the one before), for a known cluster. The identity comes from the URI SAN only.
 */
final class ClientAuthenticator {
  private final HubCa ca;
  private final ClusterDirectory directory;

  ClientAuthenticator(HubCa ca, ClusterDirectory directory) {
    this.ca = ca;
    this.directory = directory;
  }

  AuthenticatedAgent authenticate(SSLSession session) {
    if (session == null) {
      throw new LinkException(
          LinkException.Reason.NO_CLIENT_CERTIFICATE,
          "this call needs TLS with a client certificate");
    }
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      chain = new Certificate[0];
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      throw new LinkException(
          LinkException.Reason.NO_CLIENT_CERTIFICATE,
          "this call needs a client certificate from the hub CA; enroll with a bootstrap token");
    }
    ClusterId cluster = ca.verifyClient(leaf);
    ClusterEntry entry =
        directory
            .find(cluster)
            .orElseThrow(
                () ->
                    new LinkException(
                        LinkException.Reason.UNKNOWN_CLUSTER,
                        "cluster " + cluster + " is not known to this hub; create its Cluster"));
    checkUsable(entry, leaf);
    return new AuthenticatedAgent(cluster, leaf);
  }

  /** Refuses a revoked certificate and one that is no longer the cluster's current one. */
  static void checkUsable(ClusterEntry entry, X509Certificate leaf) {
    checkNotRevoked(entry, leaf);
    checkCurrent(entry, leaf);
  }

  static void checkCurrent(ClusterEntry entry, X509Certificate leaf) {
    entry
        .currentSerial()
        .filter(current -> !current.equals(leaf.getSerialNumber()))
        .ifPresent(
            current -> {
              throw new LinkException(
                  LinkException.Reason.CERTIFICATE_RETIRED,
                  "certificate "
                      + leaf.getSerialNumber().toString(16)
                      + " of cluster "
                      + entry.id()
                      + " was replaced by certificate "
                      + current.toString(16)
                      + " (status.certificate.serial: renewed or enrolled again) and no longer"
                      + " authenticates; use the current certificate, or, if the agent lost it or"
                      + " another party renewed it, revoke "
                      + current.toString(16)
                      + " and enroll again with a new bootstrap token");
            });
  }

  static void checkNotRevoked(ClusterEntry entry, X509Certificate leaf) {
    if (entry.revokedSerials().contains(leaf.getSerialNumber())) {
      throw new LinkException(
          LinkException.Reason.CERTIFICATE_REVOKED,
          "certificate "
              + leaf.getSerialNumber().toString(16)
              + " of cluster "
              + entry.id()
              + " is revoked; enroll again with a new bootstrap token");
    }
  }
}
