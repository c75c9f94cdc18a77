package io.kapro.oci.evidence;

import io.kapro.oci.verify.ClusterIdentity;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * An evidence artifact that passed {@link EvidenceVerifier}.
 *
 * @param digest its manifest digest
 * @param sequence its annotated sequence (also its {@code seq-<n>} tag)
 * @param cluster the cluster it speaks for (annotations, certificate and repository agree)
 * @param created when the agent wrote it (spoke clock)
 * @param signer the certificate whose key signed it (issued by a trusted authority)
 * @param payload the payload bytes (digest checked; content not parsed here)
 */
public record VerifiedEvidence(
    String digest,
    long sequence,
    ClusterIdentity cluster,
    Instant created,
    X509Certificate signer,
    byte[] payload) {}
