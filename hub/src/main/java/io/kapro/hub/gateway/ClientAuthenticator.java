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
 * CA, valid now, not revoked, for a known cluster. The identity comes from the URI SAN only.
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
    checkNotRevoked(entry, leaf);
    return new AuthenticatedAgent(cluster, leaf);
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
