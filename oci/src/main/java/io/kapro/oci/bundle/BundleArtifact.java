package io.kapro.oci.bundle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bundle as OCI content, before signing: the canonical payload layer, the manifest that points at
 * it (empty config, annotations repeating cluster, sequence, expiry and run) and the manifest's
 * digest.
 *
 * @param payload the payload
 * @param layer canonical JSON of the payload
 * @param manifest canonical JSON of the manifest
 * @param digest {@code sha256:} digest of {@code manifest}
 */
public record BundleArtifact(BundlePayload payload, byte[] layer, byte[] manifest, String digest) {

  /** Builds the OCI content for a payload. Deterministic: same payload, same bytes and digests. */
  public static BundleArtifact of(BundlePayload payload) {
    byte[] layer = BundleJson.write(payload);
    byte[] manifest = manifestFor(payload, layer).toJson();
    return new BundleArtifact(payload, layer, manifest, Digests.sha256(manifest));
  }

  /** The manifest for a payload whose canonical layer bytes are {@code layer}. */
  public static OciManifest manifestFor(BundlePayload p, byte[] layer) {
    return new OciManifest(
        MediaTypes.BUNDLE_ARTIFACT,
        new Descriptor(MediaTypes.OCI_EMPTY, MediaTypes.EMPTY_CONFIG_DIGEST, 2),
        List.of(Descriptor.of(MediaTypes.BUNDLE_LAYER, layer)),
        annotationsFor(p));
  }

  /** The manifest annotations that repeat payload fields. */
  public static Map<String, String> annotationsFor(BundlePayload p) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put(BundleAnnotations.SCHEMA, Integer.toString(p.schemaVersion()));
    a.put(BundleAnnotations.CLUSTER, p.cluster());
    a.put(BundleAnnotations.NAMESPACE, p.namespace());
    a.put(BundleAnnotations.FLEET, p.fleet());
    a.put(BundleAnnotations.RUN, p.run());
    a.put(BundleAnnotations.SEQUENCE, Long.toString(p.sequence()));
    a.put(BundleAnnotations.ISSUED, p.issuedAt().toString());
    a.put(BundleAnnotations.EXPIRES, p.expiresAt().toString());
    a.put(BundleAnnotations.ROLLBACK, Boolean.toString(p.rollback()));
    a.put(BundleAnnotations.OCI_CREATED, p.issuedAt().toString());
    return a;
  }

  /** Tag {@code seq-<n>} of this bundle. */
  public String sequenceTag() {
    return BundleRepository.sequenceTag(payload.sequence());
  }
}
