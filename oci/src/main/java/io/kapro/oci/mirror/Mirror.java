package io.kapro.oci.mirror;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.evidence.EvidenceVerifier;
import io.kapro.oci.mirror.MirrorReport.Refusal;
import io.kapro.oci.mirror.MirrorReport.RepositoryResult;
import io.kapro.oci.mirror.Selection.Target;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.store.OciLayoutStore;
import io.kapro.oci.verify.BundleVerifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries bundles and their signatures (and clusters' evidence) between stores for air gaps: {@link
 * #pull} registry → OCI layout (directory or tar), {@link #push} layout → registry, {@link #sync}
 * registry → registry.
 *
 * <p>Every artifact is verified at the source before anything of it is written (bundles against the
 * fleet's keys with {@link BundleVerifier#forTransfer}, evidence against the clusters' keys); a
 * refused artifact is named in the report and nothing of it reaches the destination. Incremental by
 * digest: an artifact whose manifest and signature the destination already has is not read again, a
 * blob the destination has is not copied. Per repository the writes go blobs → manifest → signature
 * → {@code seq-<n>} → {@code desired} (or {@code latest}), so an interrupted run leaves no moving
 * tag on a missing manifest or signature, and running it again completes it.
 */
public final class Mirror {
  private static final Logger LOG = LoggerFactory.getLogger(Mirror.class);

  private final Map<RepositoryKind, ArtifactCheck> checks;
  private final ArtifactCopy.Limits limits;
  private final int parallelism;

  private Mirror(Builder b) {
    this.parallelism = b.parallelism;
    this.limits = new ArtifactCopy.Limits(b.maxManifest, b.maxPayload, b.maxBlob);
    this.checks = new EnumMap<>(RepositoryKind.class);
    checks.put(RepositoryKind.BUNDLES, ArtifactCheck.bundles(b.keys, b.maxManifest, b.maxPayload));
    if (b.evidenceAuthorities != null) {
      checks.put(
          RepositoryKind.EVIDENCE,
          ArtifactCheck.evidence(
              new EvidenceVerifier(b.evidenceAuthorities, java.time.Clock.systemUTC(), b.maxBlob)));
    } else if (b.evidenceKeys != null) {
      checks.put(RepositoryKind.EVIDENCE, ArtifactCheck.signed(b.evidenceKeys, b.maxManifest));
    }
  }

  /**
   * @param bundleKeys the fleet's public keys (several during a rotation); bundles signed by none
   *     of them are refused
   */
  public static Builder builder(TrustedKeys bundleKeys) {
    return new Builder(bundleKeys);
  }

  /** Registry (or any store) → OCI layout directory or tar ({@code kapro mirror pull}). */
  public MirrorReport pull(BundleStore from, BundleStore to, Selection selection) {
    if (!(to instanceof OciLayoutStore)) {
      throw new OciException(
          Reason.INVALID_INPUT,
          "mirror pull writes an OCI layout; give --to oci:<dir> or oci:<file>.tar (got "
              + to.location()
              + "), or use mirror sync for registry to registry");
    }
    return transfer("pull", from, to, selection);
  }

  /** OCI layout directory or tar → registry ({@code kapro mirror push}). */
  public MirrorReport push(BundleStore from, BundleStore to, Selection selection) {
    if (!(from instanceof OciLayoutStore)) {
      throw new OciException(
          Reason.INVALID_INPUT,
          "mirror push reads an OCI layout; give --from oci:<dir> or oci:<file>.tar (got "
              + from.location()
              + "), or use mirror sync for registry to registry");
    }
    if (from.repositories().isEmpty()) {
      throw new OciException(
          Reason.INVALID_INPUT,
          "mirror push: the layout "
              + from.location()
              + " holds no repositories; check the --from path (a directory or .tar written by"
              + " mirror pull)");
    }
    return transfer("push", from, to, selection);
  }

  /** Registry → registry ({@code kapro mirror sync}); any two stores work. */
  public MirrorReport sync(BundleStore from, BundleStore to, Selection selection) {
    return transfer("sync", from, to, selection);
  }

  /**
   * Carries the selection from one store to another.
   *
   * @throws OciException INVALID_INPUT for a bad selection or missing evidence keys; an operational
   *     reason (UNREACHABLE, AUTH_FAILED, IO_ERROR, …) when a store fails midway — the message
   *     names the stores and the repository; what was written is consistent and a rerun resumes
   */
  public MirrorReport transfer(
      String operation, BundleStore from, BundleStore to, Selection selection) {
    Objects.requireNonNull(selection, "selection");
    if (from == to || from.location().equals(to.location())) {
      throw new OciException(
          Reason.INVALID_INPUT,
          "mirror "
              + operation
              + ": source and destination are the same ("
              + from.location()
              + ")");
    }
    if (selection.content().evidence() && !checks.containsKey(RepositoryKind.EVIDENCE)) {
      throw new OciException(
          Reason.INVALID_INPUT,
          "mirror "
              + operation
              + ": evidence repositories are selected but no evidence keys were given"
              + " (--evidence-ca <hub-ca.pem> or --evidence-key <pem>); evidence is verified"
              + " against the hub CA that certified the clusters' keys");
    }
    String where = "mirror " + operation + " " + from.location() + " -> " + to.location();
    List<Target> targets;
    try {
      targets = selection.resolve(from);
    } catch (OciException e) {
      throw new OciException(
          e.reason(), where + ": cannot list the selected repositories: " + e.getMessage(), e);
    }
    Tally tally = new Tally();
    List<Refusal> refused = Collections.synchronizedList(new ArrayList<>());
    List<String> notes = Collections.synchronizedList(new ArrayList<>());
    if (targets.isEmpty()) {
      notes.add("nothing at " + from.location() + " matches the selection " + selection);
    }
    RepositoryTransfer transfer =
        new RepositoryTransfer(from, to, checks, limits, tally, refused, notes);
    List<Optional<RepositoryResult>> outcomes =
        RepositoryRunner.runAll(targets, transfer, parallelism, where);
    List<RepositoryResult> results = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      if (outcomes.get(i).isPresent()) {
        results.add(outcomes.get(i).get());
      } else if (targets.get(i).kind() == RepositoryKind.BUNDLES) {
        missing.add(targets.get(i).repository());
      }
    }
    refused.sort(Comparator.comparing(Refusal::repository));
    MirrorReport report =
        new MirrorReport(
            operation,
            from.location(),
            to.location(),
            results,
            tally.counts(),
            refused,
            missing,
            notes);
    LOG.info("{}", report.summary());
    return report;
  }

  /**
   * Builder; defaults: manifests ≤ 64 KiB, bundle payloads ≤ 1 MiB, other blobs ≤ 16 MiB, 4
   * repositories at a time.
   */
  public static final class Builder {
    private final TrustedKeys keys;
    private TrustedKeys evidenceKeys;
    private java.util.List<java.security.cert.X509Certificate> evidenceAuthorities;
    private long maxManifest = BundleVerifier.DEFAULT_MAX_MANIFEST;
    private long maxPayload = BundleVerifier.DEFAULT_MAX_PAYLOAD;
    private long maxBlob = 16L * 1024 * 1024;
    private int parallelism = 4;

    private Builder(TrustedKeys keys) {
      this.keys = Objects.requireNonNull(keys, "bundle keys");
      if (keys.isEmpty()) {
        throw new OciException(
            Reason.INVALID_INPUT, "the mirror needs the fleet's public key(s) (--key <pem>)");
      }
    }

    /** The clusters' public keys, to carry evidence repositories (else they cannot be selected). */
    public Builder evidenceKeys(TrustedKeys keys) {
      if (keys != null && keys.isEmpty()) {
        throw new OciException(Reason.INVALID_INPUT, "the evidence key set is empty");
      }
      this.evidenceKeys = keys;
      return this;
    }

    /**
     * The hub CA certificate(s): evidence is carried only when it is a Kapro evidence artifact
     * signed by a key the CA certified for the cluster whose repository holds it (see {@link
     * EvidenceVerifier}). Takes precedence over {@link #evidenceKeys}.
     */
    public Builder evidenceAuthorities(
        java.util.Collection<java.security.cert.X509Certificate> authorities) {
      if (authorities != null && authorities.isEmpty()) {
        throw new OciException(Reason.INVALID_INPUT, "the evidence CA set is empty");
      }
      this.evidenceAuthorities = authorities == null ? null : java.util.List.copyOf(authorities);
      return this;
    }

    public Builder maxManifestBytes(long max) {
      this.maxManifest = positive(max, "max manifest bytes");
      return this;
    }

    public Builder maxPayloadBytes(long max) {
      this.maxPayload = positive(max, "max payload bytes");
      return this;
    }

    public Builder maxBlobBytes(long max) {
      this.maxBlob = positive(max, "max blob bytes");
      return this;
    }

    /** Repositories carried at the same time (default 4); 1 carries them one by one. */
    public Builder parallelism(int n) {
      this.parallelism = (int) positive(n, "parallelism");
      return this;
    }

    public Mirror build() {
      return new Mirror(this);
    }

    private static long positive(long v, String field) {
      if (v <= 0) {
        throw new OciException(Reason.INVALID_INPUT, field + " must be positive, got " + v);
      }
      return v;
    }
  }
}
