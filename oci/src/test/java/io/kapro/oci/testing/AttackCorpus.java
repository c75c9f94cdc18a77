package io.kapro.oci.testing;

import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.BundleAnnotations;
import io.kapro.oci.bundle.BundleArtifact;
import io.kapro.oci.bundle.BundleJson;
import io.kapro.oci.bundle.BundlePayload;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.bundle.FieldSet;
import io.kapro.oci.bundle.MediaTypes;
import io.kapro.oci.bundle.ObjectReference;
import io.kapro.oci.bundle.OciManifest;
import io.kapro.oci.sign.SignatureArtifact;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.store.OciLayoutStore;
import io.kapro.oci.verify.BundleVerifier;
import io.kapro.oci.verify.ClusterIdentity;
import io.kapro.oci.verify.PatchPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hostile bundles, each written into its own repository of a given {@link BundleStore} under tag
 * {@code desired}, with the rejection reason a correct verifier must give. Reusable by the agent
 * and CLI tests: write the corpus, then verify every {@link Attack} with {@link #clock()}, {@link
 * #cluster()}, {@link #trustedKey()}, {@link #policy()} and {@link #highWaterMark()} (or simply
 * {@link #verifier()}), reading through {@link Attack#view()}.
 *
 * <p>Everything is built for cluster {@code team-a/edge-1}, at a fixed instant, with a last applied
 * sequence of 10; a legitimate bundle would carry sequence 11. The {@code not-allowed} attack
 * expects a policy that refuses {@code metadata.*} paths, as {@link #policy()} does.
 */
public final class AttackCorpus {
  public static final ClusterIdentity CLUSTER = new ClusterIdentity("team-a", "edge-1");
  public static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  public static final long HIGH_WATER_MARK = 10;

  private final SigningKey trusted;
  private final SigningKey untrusted = SigningKey.generate();
  private final String prefix;

  /**
   * @param trusted the key the verifier trusts (the hub's)
   * @param prefix repository prefix, e.g. {@code kapro/attacks}; each attack gets {@code
   *     <prefix>/<name>}
   */
  public AttackCorpus(SigningKey trusted, String prefix) {
    this.trusted = trusted;
    this.prefix = prefix;
  }

  /**
   * One hostile bundle.
   *
   * @param name short name, also the last repository component
   * @param expected the reason a verifier must reject it with
   * @param repository where it was written
   * @param reference what to verify ({@code desired})
   * @param view the store as the victim sees it (a tampering view for the tampered-layer attack)
   */
  public record Attack(
      String name, Reason expected, String repository, String reference, BundleStore view) {}

  public Clock clock() {
    return Clock.fixed(NOW, ZoneOffset.UTC);
  }

  public ClusterIdentity cluster() {
    return CLUSTER;
  }

  public long highWaterMark() {
    return HIGH_WATER_MARK;
  }

  public SigningKey trustedKey() {
    return trusted;
  }

  /** Refuses {@code metadata.*} paths, allows the rest. */
  public PatchPolicy policy() {
    return (unit, field) ->
        field.path().startsWith("metadata.")
            ? Optional.of("metadata is not on the allow-list")
            : Optional.empty();
  }

  /** A verifier configured the way the corpus expects. */
  public BundleVerifier verifier() {
    return BundleVerifier.builder(TrustedKeys.of(trusted.publicKey()), CLUSTER)
        .clock(clock())
        .clockSkew(Duration.ofMinutes(5))
        .patchPolicy(policy())
        .build();
  }

  /** A legitimate payload (sequence 11, valid now) the attacks derive from. */
  public BundlePayload legitimate() {
    return TestBundles.payload(
        CLUSTER.namespace(),
        CLUSTER.name(),
        HIGH_WATER_MARK + 1,
        NOW.minus(Duration.ofHours(1)),
        Duration.ofDays(1));
  }

  /** Writes every attack into {@code store}. */
  public List<Attack> writeInto(BundleStore store) {
    List<Attack> out = new ArrayList<>();
    BundlePayload good = legitimate();

    out.add(raw(store, "unsigned", Reason.UNSIGNED, BundleArtifact.of(good), null));
    out.add(signed(store, "untrusted-key", Reason.UNTRUSTED_KEY, good, untrusted));
    out.add(tamperedLayer(store, good));
    out.add(tamperedAnnotation(store, good));
    out.add(
        signed(
            store,
            "replayed-older-sequence",
            Reason.STALE_SEQUENCE,
            withSequence(good, HIGH_WATER_MARK - 3),
            trusted));
    out.add(
        signed(
            store,
            "expired",
            Reason.EXPIRED,
            withTimes(good, NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(1))),
            trusted));
    out.add(
        signed(store, "other-cluster", Reason.WRONG_CLUSTER, withCluster(good, "edge-2"), trusted));
    out.add(
        signed(
            store,
            "oversized-layer",
            Reason.TOO_LARGE,
            withUnit(good, "spec.values", "x".repeat(1100 * 1024)),
            trusted));
    out.add(
        signed(store, "unknown-schema", Reason.UNSUPPORTED_SCHEMA, withSchema(good, 99), trusted));
    out.add(malformedJson(store, good));
    out.add(signatureForOtherDigest(store, good));
    // beyond the required list
    out.add(badSignature(store, good));
    out.add(
        signed(
            store,
            "not-yet-valid",
            Reason.NOT_YET_VALID,
            withTimes(good, NOW.plus(Duration.ofHours(2)), NOW.plus(Duration.ofDays(1))),
            trusted));
    out.add(
        signed(
            store,
            "not-allowed",
            Reason.NOT_ALLOWED,
            withUnit(good, "metadata.finalizers[0]", "evil"),
            trusted));
    out.add(oversizedManifest(store, good));
    out.add(sequenceBeyondRange(store, good));
    return out;
  }

  private Attack signed(
      BundleStore store, String name, Reason reason, BundlePayload p, SigningKey key) {
    String repo = repo(name);
    SignedBundle b = SignedBundle.sign(p, key, repo);
    store.put(repo, b);
    return new Attack(name, reason, repo, BundleRepository.DESIRED_TAG, store);
  }

  private Attack raw(
      BundleStore store, String name, Reason reason, BundleArtifact a, SignatureArtifact sig) {
    String repo = repo(name);
    putRaw(store, repo, a.layer(), a.manifest(), sig);
    return new Attack(name, reason, repo, BundleRepository.DESIRED_TAG, store);
  }

  private Attack tamperedLayer(BundleStore store, BundlePayload good) {
    String repo = repo("tampered-layer");
    SignedBundle b = SignedBundle.sign(good, trusted, repo);
    store.put(repo, b);
    byte[] evil =
        new String(b.bundle().layer(), StandardCharsets.UTF_8)
            .replace("6.5.4", "6.6.6")
            .getBytes(StandardCharsets.UTF_8);
    String layerDigest = Digests.sha256(b.bundle().layer());
    BundleStore view = store;
    if (store instanceof OciLayoutStore layout) {
      Path file =
          layout.root().resolve(repo).resolve("blobs/sha256").resolve(Digests.hex(layerDigest));
      try {
        Files.write(file, evil); // tampered at rest, as on a USB stick
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      view = new TamperingStore(store, Map.of(layerDigest, evil)); // tampered in transit
    }
    return new Attack(
        "tampered-layer", Reason.LAYER_DIGEST_MISMATCH, repo, BundleRepository.DESIRED_TAG, view);
  }

  private Attack tamperedAnnotation(BundleStore store, BundlePayload good) {
    String repo = repo("tampered-annotation");
    SignedBundle original = SignedBundle.sign(good, trusted, repo);
    OciManifest m = OciManifest.parse(original.bundle().manifest());
    Map<String, String> ann = new LinkedHashMap<>(m.annotations());
    ann.put(
        BundleAnnotations.EXPIRES, NOW.plus(Duration.ofDays(365)).toString()); // defeat a freeze
    byte[] manifest = new OciManifest(m.artifactType(), m.config(), m.layers(), ann).toJson();
    // the attacker copies the original signature next to the altered manifest
    putRaw(store, repo, original.bundle().layer(), manifest, original.signature());
    return new Attack(
        "tampered-annotation",
        Reason.ANNOTATION_MISMATCH,
        repo,
        BundleRepository.DESIRED_TAG,
        store);
  }

  private Attack malformedJson(BundleStore store, BundlePayload good) {
    String repo = repo("malformed-json");
    byte[] layer = "{\"schemaVersion\":1,\"cluster\":\"edge-1\",".getBytes(StandardCharsets.UTF_8);
    OciManifest m = BundleArtifact.manifestFor(good, layer);
    byte[] manifest = m.toJson();
    putRaw(
        store,
        repo,
        layer,
        manifest,
        SignatureArtifact.sign(trusted, repo, Digests.sha256(manifest)));
    return new Attack(
        "malformed-json", Reason.MALFORMED, repo, BundleRepository.DESIRED_TAG, store);
  }

  private Attack signatureForOtherDigest(BundleStore store, BundlePayload good) {
    String repo = repo("signature-for-other-digest");
    BundleArtifact victim = BundleArtifact.of(good);
    SignedBundle other = SignedBundle.sign(withSequence(good, HIGH_WATER_MARK + 2), trusted, repo);
    putRaw(store, repo, victim.layer(), victim.manifest(), other.signature());
    return new Attack(
        "signature-for-other-digest",
        Reason.DIGEST_MISMATCH,
        repo,
        BundleRepository.DESIRED_TAG,
        store);
  }

  private Attack badSignature(BundleStore store, BundlePayload good) {
    String repo = repo("bad-signature");
    BundleArtifact a = BundleArtifact.of(good);
    SignatureArtifact real = SignatureArtifact.sign(trusted, repo, a.digest());
    OciManifest sm = OciManifest.parse(real.manifest());
    byte[] der =
        Base64.getDecoder()
            .decode(sm.layers().get(0).annotations().get(BundleAnnotations.COSIGN_SIGNATURE));
    der[der.length - 1] ^= 0x01;
    SignatureArtifact forged =
        SignatureArtifact.assemble(
            real.payload(), Base64.getEncoder().encodeToString(der), trusted.keyId());
    return raw(store, "bad-signature", Reason.BAD_SIGNATURE, a, forged);
  }

  /**
   * A correctly signed bundle whose sequence (10^18) is beyond the one range (no agent could store
   * it as its high-water mark, and canonical JSON cannot carry it exactly): it must be refused at
   * verification (issue 18, item 3), not crash the agent after it applied it.
   */
  private Attack sequenceBeyondRange(BundleStore store, BundlePayload good) {
    String repo = repo("sequence-beyond-range");
    String huge = "1000000000000000000";
    byte[] layer =
        new String(BundleJson.write(good), StandardCharsets.UTF_8)
            .replace("\"sequence\":" + good.sequence(), "\"sequence\":" + huge)
            .getBytes(StandardCharsets.UTF_8);
    OciManifest m = BundleArtifact.manifestFor(good, layer);
    Map<String, String> ann = new LinkedHashMap<>(m.annotations());
    ann.put(BundleAnnotations.SEQUENCE, huge);
    byte[] manifest = new OciManifest(m.artifactType(), m.config(), m.layers(), ann).toJson();
    putRaw(
        store,
        repo,
        layer,
        manifest,
        SignatureArtifact.sign(trusted, repo, Digests.sha256(manifest)));
    return new Attack(
        "sequence-beyond-range", Reason.MALFORMED, repo, BundleRepository.DESIRED_TAG, store);
  }

  private Attack oversizedManifest(BundleStore store, BundlePayload good) {
    String repo = repo("oversized-manifest");
    BundleArtifact a = BundleArtifact.of(good);
    OciManifest m = OciManifest.parse(a.manifest());
    Map<String, String> ann = new LinkedHashMap<>(m.annotations());
    ann.put("io.kapro.padding", "p".repeat(70 * 1024));
    byte[] manifest = new OciManifest(m.artifactType(), m.config(), m.layers(), ann).toJson();
    putRaw(
        store,
        repo,
        a.layer(),
        manifest,
        SignatureArtifact.sign(trusted, repo, Digests.sha256(manifest)));
    return new Attack(
        "oversized-manifest", Reason.TOO_LARGE, repo, BundleRepository.DESIRED_TAG, store);
  }

  private static void putRaw(
      BundleStore store, String repo, byte[] layer, byte[] manifest, SignatureArtifact sig) {
    store.putBlob(repo, MediaTypes.EMPTY_CONFIG);
    store.putBlob(repo, layer);
    String digest = Digests.sha256(manifest);
    store.putManifest(repo, digest, manifest);
    if (sig != null) {
      store.putBlob(repo, sig.config());
      store.putBlob(repo, sig.payload());
      store.putManifest(repo, BundleRepository.signatureTag(digest), sig.manifest());
    }
    store.putManifest(repo, BundleRepository.DESIRED_TAG, manifest);
  }

  private String repo(String name) {
    return prefix + "/" + name;
  }

  private static BundlePayload withSequence(BundlePayload p, long seq) {
    return new BundlePayload(
        p.schemaVersion(),
        p.cluster(),
        p.namespace(),
        p.fleet(),
        p.run(),
        seq,
        p.issuedAt(),
        p.expiresAt(),
        p.units(),
        p.rollback());
  }

  private static BundlePayload withTimes(BundlePayload p, Instant issued, Instant expires) {
    return new BundlePayload(
        p.schemaVersion(),
        p.cluster(),
        p.namespace(),
        p.fleet(),
        p.run(),
        p.sequence(),
        issued,
        expires,
        p.units(),
        p.rollback());
  }

  private static BundlePayload withCluster(BundlePayload p, String cluster) {
    return new BundlePayload(
        p.schemaVersion(),
        cluster,
        p.namespace(),
        p.fleet(),
        p.run(),
        p.sequence(),
        p.issuedAt(),
        p.expiresAt(),
        p.units(),
        p.rollback());
  }

  private static BundlePayload withSchema(BundlePayload p, int schema) {
    return new BundlePayload(
        schema,
        p.cluster(),
        p.namespace(),
        p.fleet(),
        p.run(),
        p.sequence(),
        p.issuedAt(),
        p.expiresAt(),
        p.units(),
        p.rollback());
  }

  private static BundlePayload withUnit(BundlePayload p, String path, String value) {
    List<BundleUnit> units = new ArrayList<>(p.units());
    units.add(
        new BundleUnit(
            "extra",
            "Flux",
            new ObjectReference("helm.toolkit.fluxcd.io/v2", "HelmRelease", "apps", "extra"),
            "1.0.0",
            "",
            List.of(new FieldSet(path, value))));
    return new BundlePayload(
        p.schemaVersion(),
        p.cluster(),
        p.namespace(),
        p.fleet(),
        p.run(),
        p.sequence(),
        p.issuedAt(),
        p.expiresAt(),
        units,
        p.rollback());
  }
}
