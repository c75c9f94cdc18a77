package io.kapro.oci.evidence;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.BundleAnnotations;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.bundle.OciManifest;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.verify.BundleVerifier;
import io.kapro.oci.verify.ClusterIdentity;
import io.kapro.oci.verify.Signatures;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Verifies an evidence artifact from an untrusted store: manifest digest and shape, annotations,
 * the repository it sits in, the signer's certificate (issued by one of the trusted authorities —
 * the hub CA — for the annotated cluster, valid when the artifact was created), the cosign
 * signature by that certificate's key, and the payload's digest. Every rejection is an {@link
 * OciException} whose reason says why.
 */
public final class EvidenceVerifier {
  /** Largest payload accepted by default. */
  public static final long DEFAULT_MAX_PAYLOAD = 4L * 1024 * 1024;

  private static final long MAX_CERTIFICATES_BYTES = 64 * 1024;
  private static final Duration SKEW = Duration.ofMinutes(5);

  private final List<X509Certificate> authorities;
  private final Clock clock;
  private final long maxPayload;

  /**
   * @param authorities the CA certificates that issue agent certificates (the hub CA)
   */
  public EvidenceVerifier(Collection<X509Certificate> authorities, Clock clock, long maxPayload) {
    this.authorities = List.copyOf(authorities);
    if (this.authorities.isEmpty()) {
      throw new OciException(
          Reason.INVALID_INPUT,
          "evidence is verified against the hub CA certificate; give at least one (--evidence-ca)");
    }
    this.clock = clock;
    this.maxPayload = maxPayload;
  }

  public EvidenceVerifier(Collection<X509Certificate> authorities) {
    this(authorities, Clock.systemUTC(), DEFAULT_MAX_PAYLOAD);
  }

  /**
   * Verifies the artifact a tag or digest names in {@code repository} ({@code
   * <prefix>/<namespace>/<cluster>/evidence}).
   *
   * @throws OciException a rejection reason, or NOT_FOUND / an operational reason
   */
  public VerifiedEvidence verify(BundleStore store, String repository, String reference) {
    String digest =
        reference.startsWith("sha256:")
            ? reference
            : store
                .resolve(repository, reference)
                .map(Descriptor::digest)
                .orElseThrow(
                    () ->
                        new OciException(
                            Reason.NOT_FOUND, "no evidence " + repository + ":" + reference));
    String what = "evidence " + repository + "@" + digest;
    byte[] bytes = store.fetchManifest(repository, digest, BundleVerifier.DEFAULT_MAX_MANIFEST);
    if (!Digests.sha256(bytes).equals(digest)) {
      throw new OciException(
          Reason.DIGEST_MISMATCH, what + ": manifest content hashes to " + Digests.sha256(bytes));
    }
    OciManifest m = OciManifest.parse(bytes);
    if (!EvidenceArtifact.ARTIFACT_TYPE.equals(m.artifactType())
        || m.layers().size() != 2
        || !EvidenceArtifact.PAYLOAD_TYPE.equals(m.layers().get(0).mediaType())
        || !EvidenceArtifact.CERTIFICATES_TYPE.equals(m.layers().get(1).mediaType())) {
      throw new OciException(
          Reason.MALFORMED,
          what + " is not a Kapro evidence artifact (artifactType, payload and certificates)");
    }
    Map<String, String> ann = m.annotations();
    long sequence = sequence(ann.get(EvidenceArtifact.SEQUENCE), what);
    ClusterIdentity cluster = cluster(ann, what);
    if (!repository.endsWith("/" + cluster.namespace() + "/" + cluster.name() + "/evidence")) {
      throw new OciException(
          Reason.WRONG_CLUSTER,
          what + " names cluster " + cluster + " but sits in another cluster's repository");
    }
    Instant created = created(ann.get(BundleAnnotations.OCI_CREATED), what);
    byte[] certBytes = blob(store, repository, m.layers().get(1), MAX_CERTIFICATES_BYTES, what);
    X509Certificate signer = signer(CertificateChains.parse(certBytes, what), cluster, created);
    Signatures.verify(
        store,
        repository,
        digest,
        TrustedKeys.of(signer.getPublicKey()),
        BundleVerifier.DEFAULT_MAX_MANIFEST);
    byte[] payload = blob(store, repository, m.layers().get(0), maxPayload, what);
    return new VerifiedEvidence(digest, sequence, cluster, created, signer, payload);
  }

  private X509Certificate signer(
      List<X509Certificate> chain, ClusterIdentity cluster, Instant created) {
    X509Certificate leaf = chain.get(0);
    String who = "the signer certificate of " + cluster + "'s evidence";
    if (leaf.getBasicConstraints() != -1 || !issuedByAuthority(leaf)) {
      throw new OciException(
          Reason.UNTRUSTED_KEY, who + " was not issued by the hub CA for an agent");
    }
    try {
      leaf.checkValidity(Date.from(created));
    } catch (CertificateExpiredException e) {
      throw new OciException(Reason.EXPIRED, who + " had expired when the evidence was written");
    } catch (CertificateNotYetValidException e) {
      throw new OciException(
          Reason.NOT_YET_VALID, who + " was not yet valid when the evidence was written");
    }
    String expected = cluster.spiffeId();
    if (!uriSans(leaf).contains(expected)) {
      throw new OciException(
          Reason.WRONG_CLUSTER, who + " is not issued to " + expected + " (another cluster's key)");
    }
    return leaf;
  }

  private boolean issuedByAuthority(X509Certificate leaf) {
    for (X509Certificate ca : authorities) {
      if (!ca.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
        continue;
      }
      try {
        leaf.verify(ca.getPublicKey());
        return true;
      } catch (GeneralSecurityException | RuntimeException e) {
        // try the next authority
      }
    }
    return false;
  }

  private static List<String> uriSans(X509Certificate c) {
    try {
      var sans = c.getSubjectAlternativeNames();
      return sans == null
          ? List.of()
          : sans.stream()
              .filter(s -> Integer.valueOf(6).equals(s.get(0)))
              .map(s -> String.valueOf(s.get(1)))
              .toList();
    } catch (java.security.cert.CertificateParsingException e) {
      return List.of();
    }
  }

  private static byte[] blob(
      BundleStore store, String repository, Descriptor d, long max, String what) {
    if (d.size() < 0 || d.size() > max) {
      throw new OciException(
          Reason.TOO_LARGE, what + ": layer " + d.mediaType() + " of " + d.size() + " bytes");
    }
    byte[] b = store.fetchBlob(repository, d.digest(), max);
    if (b.length != d.size() || !Digests.sha256(b).equals(d.digest())) {
      throw new OciException(
          Reason.LAYER_DIGEST_MISMATCH,
          what + ": layer " + d.mediaType() + " does not hash to " + d.digest());
    }
    return b;
  }

  private static long sequence(String s, String what) {
    try {
      long n = Long.parseLong(s == null ? "" : s);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new OciException(
        Reason.MALFORMED, what + ": annotation " + EvidenceArtifact.SEQUENCE + " is not positive");
  }

  private static ClusterIdentity cluster(Map<String, String> ann, String what) {
    String ns = ann.get(EvidenceArtifact.NAMESPACE);
    String name = ann.get(EvidenceArtifact.CLUSTER);
    String label = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
    if (ns == null || name == null || !ns.matches(label) || !name.matches(label)) {
      throw new OciException(Reason.MALFORMED, what + ": the cluster annotations are missing");
    }
    return new ClusterIdentity(ns, name);
  }

  private Instant created(String s, String what) {
    Instant t;
    try {
      t = Instant.parse(s == null ? "" : s);
    } catch (DateTimeParseException e) {
      throw new OciException(
          Reason.MALFORMED, what + ": annotation " + BundleAnnotations.OCI_CREATED + " missing");
    }
    if (t.isAfter(clock.instant().plus(SKEW))) {
      throw new OciException(Reason.NOT_YET_VALID, what + " was created in the future (" + t + ")");
    }
    return t;
  }
}
