package io.kapro.hub.gateway;

import com.google.protobuf.ByteString;
import io.kapro.agent.v1.EnrollRequest;
import io.kapro.agent.v1.EnrollResponse;
import io.kapro.agent.v1.RenewRequest;
import io.kapro.agent.v1.RenewResponse;
import io.kapro.hub.ca.BootstrapTokens;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.ca.Csr;
import io.kapro.hub.ca.HubCa;
import io.kapro.hub.ca.TokenRecord;
import io.kapro.hub.link.LinkException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enroll and Renew: checks everything first (token, version, cluster, CSR), then consumes the token
 * and signs, so a refused request writes nothing. The certificate issued becomes the cluster's one
 * current certificate ({@link ClusterDirectory#recordCertificate}); the one it replaces stops
 * authenticating.
 */
final class Enrollment {
  private static final Logger LOG = LoggerFactory.getLogger(Enrollment.class);

  private final HubCa ca;
  private final BootstrapTokens tokens;
  private final ClusterDirectory directory;
  private final VersionRange versions;
  private final Duration lifetime;

  Enrollment(
      HubCa ca,
      BootstrapTokens tokens,
      ClusterDirectory directory,
      VersionRange versions,
      Duration lifetime) {
    this.ca = ca;
    this.tokens = tokens;
    this.directory = directory;
    this.versions = versions;
    this.lifetime = lifetime;
  }

  EnrollResponse enroll(EnrollRequest request) {
    TokenRecord token = tokens.check(request.getBootstrapToken());
    versions.check(request.getAgentVersion());
    ClusterId cluster = token.cluster();
    requireKnown(cluster);
    PublicKey key = Csr.publicKey(request.getCsrDer().toByteArray());
    tokens.consume(token);
    X509Certificate cert = ca.issueClient(cluster, key, lifetime);
    directory.recordCertificate(cluster, Optional.empty(), cert);
    LOG.info(
        "enrolled cluster {}: certificate {} until {}",
        cluster,
        cert.getSerialNumber().toString(16),
        cert.getNotAfter().toInstant());
    return EnrollResponse.newBuilder()
        .addAllCertificateChainDer(der(List.of(cert, ca.certificate())))
        .setIdentity(cluster.uri())
        .addAllTrustAnchorsDer(der(ca.trustAnchors()))
        .build();
  }

  RenewResponse renew(AuthenticatedAgent agent, RenewRequest request) {
    PublicKey key = Csr.publicKey(request.getCsrDer().toByteArray());
    X509Certificate cert = ca.issueClient(agent.cluster(), key, lifetime);
    // Retires the presented certificate in the same (conditional) write: a stolen copy of it can
    // neither connect nor renew again, and of two renewals with one certificate only one wins.
    directory.recordCertificate(
        agent.cluster(), Optional.of(agent.certificate().getSerialNumber()), cert);
    LOG.info(
        "renewed certificate of {}: {} replaces {}",
        agent.cluster(),
        cert.getSerialNumber().toString(16),
        agent.certificate().getSerialNumber().toString(16));
    return RenewResponse.newBuilder()
        .addAllCertificateChainDer(der(List.of(cert, ca.certificate())))
        .addAllTrustAnchorsDer(der(ca.trustAnchors()))
        .build();
  }

  private void requireKnown(ClusterId cluster) {
    if (directory.find(cluster).isEmpty()) {
      throw new LinkException(
          LinkException.Reason.UNKNOWN_CLUSTER,
          "the bootstrap token is bound to cluster " + cluster + ", which the hub does not know");
    }
  }

  private static List<ByteString> der(List<X509Certificate> certs) {
    try {
      List<ByteString> result = new java.util.ArrayList<>();
      for (X509Certificate c : certs) {
        result.add(ByteString.copyFrom(c.getEncoded()));
      }
      return result;
    } catch (CertificateEncodingException e) {
      throw new LinkException(LinkException.Reason.CA_FAILURE, "cannot encode a certificate", e);
    }
  }
}
