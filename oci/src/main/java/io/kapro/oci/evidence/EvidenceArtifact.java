package io.kapro.oci.evidence;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.BundleAnnotations;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.bundle.MediaTypes;
import io.kapro.oci.bundle.OciManifest;
import io.kapro.oci.sign.SignatureArtifact;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.verify.ClusterIdentity;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One signed evidence artifact: an OCI image manifest ({@code artifactType} {@link #ARTIFACT_TYPE},
 * empty config) with two layers — the payload (opaque here; the agent writes length-delimited
 * {@code kapro.agent.v1.AgentMessage}s) and the signer's certificate chain (PEM, leaf first) — and
 * a cosign signature by the leaf's key. Annotations name the cluster and the sequence.
 *
 * @param manifest the manifest bytes (canonical JSON)
 * @param payload the payload blob
 * @param certificates the certificate chain blob (PEM)
 * @param signature the cosign signature objects
 */
public record EvidenceArtifact(
    byte[] manifest, byte[] payload, byte[] certificates, SignatureArtifact signature) {

  /** The manifest's {@code artifactType}. */
  public static final String ARTIFACT_TYPE = "application/vnd.kapro.evidence.v1";

  /** The payload layer: length-delimited {@code kapro.agent.v1.AgentMessage} (protobuf). */
  public static final String PAYLOAD_TYPE = "application/vnd.kapro.evidence.v1+binpb";

  /** The certificate chain layer (PEM, leaf first). */
  public static final String CERTIFICATES_TYPE = "application/vnd.kapro.evidence.signer.v1+pem";

  /** Annotation: the artifact's sequence (the highest evidence number it carries). */
  public static final String SEQUENCE = "io.kapro.evidence.sequence";

  /** Annotation: the cluster's namespace. */
  public static final String NAMESPACE = "io.kapro.evidence.namespace";

  /** Annotation: the cluster's name. */
  public static final String CLUSTER = "io.kapro.evidence.cluster";

  /**
   * Builds and signs an artifact.
   *
   * @param sequence positive; the artifact is tagged {@code seq-<sequence>}
   * @param chain the signer's certificate (its public key must be {@code key}'s) and its issuers
   * @param dockerReference the repository it is written to, for the simple-signing payload
   */
  public static EvidenceArtifact create(
      ClusterIdentity cluster,
      long sequence,
      Instant created,
      byte[] payload,
      SigningKey key,
      List<X509Certificate> chain,
      String dockerReference) {
    if (sequence <= 0) {
      throw new OciException(
          Reason.INVALID_INPUT, "evidence sequence must be positive, got " + sequence);
    }
    if (chain.isEmpty()
        || !java.util.Arrays.equals(
            chain.get(0).getPublicKey().getEncoded(), key.publicKey().getEncoded())) {
      throw new OciException(
          Reason.INVALID_INPUT,
          "the evidence signing key does not belong to the first certificate of the chain");
    }
    byte[] certs = CertificateChains.pem(chain);
    Map<String, String> ann = new LinkedHashMap<>();
    ann.put(SEQUENCE, Long.toString(sequence));
    ann.put(NAMESPACE, cluster.namespace());
    ann.put(CLUSTER, cluster.name());
    ann.put(BundleAnnotations.OCI_CREATED, created.toString());
    byte[] manifest =
        new OciManifest(
                ARTIFACT_TYPE,
                new Descriptor(
                    MediaTypes.OCI_EMPTY,
                    MediaTypes.EMPTY_CONFIG_DIGEST,
                    MediaTypes.EMPTY_CONFIG.length),
                List.of(
                    Descriptor.of(PAYLOAD_TYPE, payload), Descriptor.of(CERTIFICATES_TYPE, certs)),
                ann)
            .toJson();
    SignatureArtifact sig = SignatureArtifact.sign(key, dockerReference, Digests.sha256(manifest));
    return new EvidenceArtifact(manifest, payload, certs, sig);
  }

  /** The manifest digest. */
  public String digest() {
    return Digests.sha256(manifest);
  }

  /** The annotated sequence. */
  public long sequence() {
    return Long.parseLong(OciManifest.parse(manifest).annotations().get(SEQUENCE));
  }

  /** {@code seq-<sequence>}. */
  public String sequenceTag() {
    return BundleRepository.sequenceTag(sequence());
  }
}
