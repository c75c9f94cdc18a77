package io.kapro.oci.verify;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.BundleAnnotations;
import io.kapro.oci.bundle.BundleArtifact;
import io.kapro.oci.bundle.BundleJson;
import io.kapro.oci.bundle.BundlePayload;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.bundle.FieldSet;
import io.kapro.oci.bundle.MediaTypes;
import io.kapro.oci.bundle.OciManifest;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.BundleStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a bundle may be applied. Checks, cheapest first, and rejects with its own {@link
 * Reason} at the first failure: manifest size and digest, manifest shape, cluster binding, sequence
 * above the caller's high-water mark, expiry and not-before (with a clock-skew allowance), payload
 * size, layer digest, payload JSON and schema, manifest annotations against the payload, the cosign
 * signature against the trusted keys, and the patch allow-list. Checks that fail early only ever
 * reject; nothing is accepted until the signature has verified.
 */
public final class BundleVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(BundleVerifier.class);

  public static final long DEFAULT_MAX_MANIFEST = 64 * 1024;
  public static final long DEFAULT_MAX_PAYLOAD = 1024 * 1024;
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);

  private final TrustedKeys keys;
  private final ClusterIdentity cluster;
  private final Clock clock;
  private final Duration skew;
  private final long maxManifest;
  private final long maxPayload;
  private final PatchPolicy policy;

  private BundleVerifier(Builder b) {
    this.keys = Objects.requireNonNull(b.keys, "trusted keys");
    if (keys.isEmpty()) {
      throw new OciException(
          Reason.INVALID_INPUT, "the verifier needs at least one trusted public key");
    }
    this.cluster = b.transfer ? null : Objects.requireNonNull(b.cluster, "cluster identity");
    this.clock = b.clock;
    this.skew = b.skew;
    this.maxManifest = b.maxManifest;
    this.maxPayload = b.maxPayload;
    this.policy = b.policy;
  }

  /** The clock-skew allowance applied to expiry and not-before. */
  public Duration clockSkew() {
    return skew;
  }

  public static Builder builder(TrustedKeys keys, ClusterIdentity cluster) {
    return new Builder(keys, cluster);
  }

  /**
   * A verifier for carrying bundles (mirrors, layouts): manifest size, digest and shape, schema,
   * payload size, layer digest, payload JSON, annotations against the payload and the signature
   * against {@code keys}. It does not judge cluster, sequence, expiry or the patch allow-list: that
   * is the agent's business, so {@code highWaterMark} is ignored by {@link #verify}.
   */
  public static Builder forTransfer(TrustedKeys keys) {
    Builder b = new Builder(keys, null);
    b.transfer = true;
    return b;
  }

  /**
   * Verifies the bundle a tag or digest points at.
   *
   * @param highWaterMark the highest sequence this cluster has applied (0 for none); the bundle's
   *     sequence must be strictly greater
   * @return the verified bundle
   * @throws OciException with a rejection reason ({@link OciException#isRejection()}) when the
   *     bundle must not be applied, or an operational reason (NOT_FOUND, AUTH_FAILED, UNREACHABLE,
   *     …) when it could not be read
   */
  public VerifiedBundle verify(
      BundleStore store, String repository, String reference, long highWaterMark) {
    final String digest =
        reference.startsWith("sha256:")
            ? reference
            : store
                .resolve(repository, reference)
                .orElseThrow(
                    () ->
                        new OciException(
                            Reason.NOT_FOUND,
                            store.location() + ": " + repository + ":" + reference + " not found"))
                .digest();
    Digests.requireSha256(digest, "bundle digest");
    String where = repository + "@" + digest;
    byte[] manifestBytes = store.fetchManifest(repository, digest, maxManifest);
    if (manifestBytes.length > maxManifest) {
      throw reject(
          Reason.TOO_LARGE,
          where,
          "manifest of " + manifestBytes.length + " bytes exceeds " + maxManifest);
    }
    if (!Digests.sha256(manifestBytes).equals(digest)) {
      throw reject(
          Reason.DIGEST_MISMATCH,
          where,
          "manifest content hashes to " + Digests.sha256(manifestBytes));
    }
    OciManifest manifest = OciManifest.parse(manifestBytes);
    Descriptor layer = requireShape(manifest, where);
    Map<String, String> ann = manifest.annotations();
    checkSchema(ann.get(BundleAnnotations.SCHEMA), where);
    long annotatedSequence = parseLong(ann, BundleAnnotations.SEQUENCE, where);
    if (annotatedSequence < 1 || annotatedSequence > BundlePayload.MAX_SEQUENCE) {
      throw reject(
          Reason.MALFORMED,
          where,
          "annotation "
              + BundleAnnotations.SEQUENCE
              + " must be between 1 and "
              + BundlePayload.MAX_SEQUENCE
              + ", got "
              + annotatedSequence);
    }
    Instant annotatedIssued = parseInstant(ann, BundleAnnotations.ISSUED, where);
    Instant annotatedExpires = parseInstant(ann, BundleAnnotations.EXPIRES, where);
    checkBinding(
        ann.get(BundleAnnotations.NAMESPACE),
        ann.get(BundleAnnotations.CLUSTER),
        annotatedSequence,
        annotatedIssued,
        annotatedExpires,
        highWaterMark,
        where);
    if (layer.size() > maxPayload) {
      throw reject(
          Reason.TOO_LARGE,
          where,
          "payload layer of " + layer.size() + " bytes exceeds " + maxPayload);
    }
    byte[] payloadBytes = store.fetchBlob(repository, layer.digest(), maxPayload);
    if (payloadBytes.length != layer.size()
        || !Digests.sha256(payloadBytes).equals(layer.digest())) {
      throw reject(
          Reason.LAYER_DIGEST_MISMATCH,
          where,
          "payload layer content ("
              + payloadBytes.length
              + " bytes, "
              + Digests.sha256(payloadBytes)
              + ") does not match its descriptor ("
              + layer.size()
              + " bytes, "
              + layer.digest()
              + ")");
    }
    BundlePayload payload = withWhere(where, () -> BundleJson.read(payloadBytes));
    checkAnnotations(ann, payload, where);
    checkBinding(
        payload.namespace(),
        payload.cluster(),
        payload.sequence(),
        payload.issuedAt(),
        payload.expiresAt(),
        highWaterMark,
        where);
    String keyId =
        withWhere(where, () -> SignatureCheck.verify(store, repository, digest, keys, maxManifest));
    checkPolicy(payload, where);
    LOG.debug("bundle {} verified: sequence {} signed by key {}", where, payload.sequence(), keyId);
    return new VerifiedBundle(repository, digest, payload, keyId, payloadBytes);
  }

  private static Descriptor requireShape(OciManifest m, String where) {
    if (!MediaTypes.BUNDLE_ARTIFACT.equals(m.artifactType())) {
      throw reject(
          Reason.MALFORMED,
          where,
          "artifactType is '" + m.artifactType() + "', expected " + MediaTypes.BUNDLE_ARTIFACT);
    }
    if (!MediaTypes.OCI_EMPTY.equals(m.config().mediaType())) {
      throw reject(Reason.MALFORMED, where, "config mediaType must be " + MediaTypes.OCI_EMPTY);
    }
    if (m.layers().size() != 1 || !MediaTypes.BUNDLE_LAYER.equals(m.layers().get(0).mediaType())) {
      throw reject(
          Reason.MALFORMED,
          where,
          "a bundle has exactly one layer of type " + MediaTypes.BUNDLE_LAYER);
    }
    return m.layers().get(0);
  }

  private static void checkSchema(String schema, String where) {
    if (schema == null) {
      throw reject(
          Reason.MALFORMED, where, "annotation " + BundleAnnotations.SCHEMA + " is missing");
    }
    if (!schema.equals(Integer.toString(BundlePayload.SCHEMA_VERSION))) {
      throw reject(
          Reason.UNSUPPORTED_SCHEMA,
          where,
          "schema "
              + schema
              + " is not supported (this agent reads "
              + BundlePayload.SCHEMA_VERSION
              + ")");
    }
  }

  private void checkBinding(
      String namespace,
      String name,
      long sequence,
      Instant issued,
      Instant expires,
      long hwm,
      String where) {
    if (cluster == null) {
      return; // forTransfer: the agent judges binding, sequence and time
    }
    if (!cluster.namespace().equals(namespace) || !cluster.name().equals(name)) {
      throw reject(
          Reason.WRONG_CLUSTER,
          where,
          "bundle is for cluster " + namespace + "/" + name + ", this is " + cluster);
    }
    if (sequence <= hwm) {
      throw reject(
          Reason.STALE_SEQUENCE,
          where,
          "sequence " + sequence + " is not above the last applied sequence " + hwm);
    }
    Instant now = clock.instant();
    // now - skew, not expires + skew: an expiry at the end of time must not overflow Instant
    if (now.minus(skew).isAfter(expires)) {
      throw reject(
          Reason.EXPIRED,
          where,
          "expired at " + expires + " (now " + now + ", allowed skew " + skew + ")");
    }
    if (issued.isAfter(now.plus(skew))) {
      throw reject(
          Reason.NOT_YET_VALID,
          where,
          "issued at " + issued + ", in the future (now " + now + ", allowed skew " + skew + ")");
    }
  }

  private static void checkAnnotations(
      Map<String, String> ann, BundlePayload payload, String where) {
    for (Map.Entry<String, String> e : BundleArtifact.annotationsFor(payload).entrySet()) {
      if (!e.getValue().equals(ann.get(e.getKey()))) {
        throw reject(
            Reason.ANNOTATION_MISMATCH,
            where,
            "manifest annotation "
                + e.getKey()
                + "='"
                + ann.get(e.getKey())
                + "' disagrees with the payload ('"
                + e.getValue()
                + "')");
      }
    }
  }

  private void checkPolicy(BundlePayload payload, String where) {
    for (BundleUnit unit : payload.units()) {
      for (FieldSet f : unit.set()) {
        Optional<String> denied = policy.deny(unit, f);
        if (denied.isPresent()) {
          throw reject(
              Reason.NOT_ALLOWED,
              where,
              "unit "
                  + unit.name()
                  + " may not set "
                  + f.path()
                  + " on "
                  + unit.object()
                  + ": "
                  + denied.get());
        }
      }
    }
  }

  private static long parseLong(Map<String, String> ann, String key, String where) {
    try {
      return Long.parseLong(required(ann, key, where));
    } catch (NumberFormatException e) {
      throw reject(Reason.MALFORMED, where, "annotation " + key + " is not an integer");
    }
  }

  private static Instant parseInstant(Map<String, String> ann, String key, String where) {
    try {
      return Instant.parse(required(ann, key, where));
    } catch (DateTimeParseException e) {
      throw reject(Reason.MALFORMED, where, "annotation " + key + " is not an RFC 3339 timestamp");
    }
  }

  private static String required(Map<String, String> ann, String key, String where) {
    String v = ann.get(key);
    if (v == null) {
      throw reject(Reason.MALFORMED, where, "annotation " + key + " is missing");
    }
    return v;
  }

  private static <T> T withWhere(String where, java.util.function.Supplier<T> op) {
    try {
      return op.get();
    } catch (OciException e) {
      if (e.isRejection() && !e.getMessage().contains(where)) {
        throw new OciException(e.reason(), "bundle " + where + ": " + e.getMessage(), e);
      }
      throw e;
    }
  }

  private static OciException reject(Reason reason, String where, String message) {
    return new OciException(reason, "bundle " + where + " rejected (" + reason + "): " + message);
  }

  /**
   * Builder; defaults: system UTC clock, 5 minutes skew, 64 KiB manifest, 1 MiB payload, allow all.
   */
  public static final class Builder {
    private final TrustedKeys keys;
    private final ClusterIdentity cluster;
    private Clock clock = Clock.systemUTC();
    private Duration skew = DEFAULT_CLOCK_SKEW;
    private long maxManifest = DEFAULT_MAX_MANIFEST;
    private long maxPayload = DEFAULT_MAX_PAYLOAD;
    private PatchPolicy policy = PatchPolicy.allowAll();
    private boolean transfer;

    private Builder(TrustedKeys keys, ClusterIdentity cluster) {
      this.keys = keys;
      this.cluster = cluster;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    public Builder clockSkew(Duration skew) {
      if (skew.isNegative()) {
        throw new OciException(Reason.INVALID_INPUT, "clock skew allowance must not be negative");
      }
      this.skew = skew;
      return this;
    }

    public Builder maxManifestBytes(long max) {
      this.maxManifest = max;
      return this;
    }

    public Builder maxPayloadBytes(long max) {
      this.maxPayload = max;
      return this;
    }

    public Builder patchPolicy(PatchPolicy policy) {
      this.policy = Objects.requireNonNull(policy);
      return this;
    }

    public BundleVerifier build() {
      return new BundleVerifier(this);
    }
  }
}
