package io.kapro.hub.gateway;

import io.kapro.hub.ca.ClusterId;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The gateway's view of the Cluster objects. The hub implements it on the Cluster CRD (an informer
 * cache); tests use {@link InMemoryClusterDirectory}.
 */
public interface ClusterDirectory {

  /** The cluster, or empty when no Cluster object has this namespace and name. */
  Optional<ClusterEntry> find(ClusterId id);

  /**
   * The cluster a bundle (manifest digest) was published for, if the hub knows the digest. Used to
   * refuse evidence and hellos that speak about another cluster's bundle.
   */
  Optional<ClusterId> bundleOwner(String digest);

  /**
   * Calls {@code listener} after a cluster changes (revocations, settings, deletion), so open
   * streams of revoked certificates are closed and new settings are sent.
   */
  void addListener(Consumer<ClusterId> listener);

  /**
   * Makes {@code issued} the cluster's one current certificate ({@code status.certificate}),
   * retiring the one it had: afterwards only {@code issued} authenticates. Atomic with the check:
   * when {@code replaces} is given (a renewal), the write happens only if the current certificate
   * is still that serial (or none is recorded), so of two renewals with the same certificate (the
   * agent and a thief holding a copy) one wins and the other is refused.
   *
   * @param replaces the serial of the certificate that asked for the renewal; empty for an
   *     enrollment (a bootstrap token replaces whatever was current)
   * @throws io.kapro.hub.link.LinkException CERTIFICATE_RETIRED when {@code replaces} is no longer
   *     current, UNKNOWN_CLUSTER when the Cluster is gone, STORE_UNAVAILABLE when the write failed
   */
  void recordCertificate(ClusterId id, Optional<BigInteger> replaces, X509Certificate issued);
}
