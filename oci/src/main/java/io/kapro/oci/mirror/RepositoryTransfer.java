package io.kapro.oci.mirror;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.BundleAnnotations;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.bundle.OciManifest;
import io.kapro.oci.mirror.MirrorReport.Refusal;
import io.kapro.oci.mirror.MirrorReport.RepositoryResult;
import io.kapro.oci.mirror.Selection.Target;
import io.kapro.oci.store.BundleStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries one repository: every artifact a {@code seq-<n>} tag or the moving tag points at, oldest
 * first, each verified at the source and written in safe order; the moving tag last, only to an
 * artifact whose manifest and signature are at the destination, and never backwards.
 */
final class RepositoryTransfer {
  private static final Logger LOG = LoggerFactory.getLogger(RepositoryTransfer.class);
  private static final Pattern SEQ = Pattern.compile("seq-(\\d{1,18})");

  private final BundleStore source;
  private final BundleStore dest;
  private final Map<RepositoryKind, ArtifactCheck> checks;
  private final ArtifactCopy.Limits limits;
  private final Tally tally;
  private final List<Refusal> refused;
  private final List<String> notes;

  RepositoryTransfer(
      BundleStore source,
      BundleStore dest,
      Map<RepositoryKind, ArtifactCheck> checks,
      ArtifactCopy.Limits limits,
      Tally tally,
      List<Refusal> refused,
      List<String> notes) {
    this.source = source;
    this.dest = dest;
    this.checks = checks;
    this.limits = limits;
    this.tally = tally;
    this.refused = refused;
    this.notes = notes;
  }

  private enum Outcome {
    COPIED,
    PRESENT,
    REFUSED
  }

  /** What the source has in one repository: artifact digest → its seq tags, oldest first. */
  private record Listing(Map<String, List<String>> byDigest, String movingDigest) {}

  /** Carries the repository; empty when the source has no such repository. */
  Optional<RepositoryResult> run(Target target) {
    String repo = target.repository();
    RepositoryKind kind = target.kind();
    String moving = kind.movingTag();
    Listing listing;
    try {
      listing = list(repo, kind);
    } catch (OciException e) {
      if (!e.isRejection()) {
        throw e;
      }
      refused.add(new Refusal(repo, List.of(), null, e.reason(), e.getMessage()));
      LOG.warn("repository {} refused: {}", repo, e.getMessage());
      return Optional.of(new RepositoryResult(repo, kind, 0, 0, 1, null));
    }
    if (listing == null) {
      return Optional.empty();
    }
    Map<String, List<String>> byDigest = listing.byDigest();
    String movingDigest = listing.movingDigest();
    int copied = 0;
    int present = 0;
    int refusedHere = 0;
    Outcome movingOutcome = null;
    for (Map.Entry<String, List<String>> e : byDigest.entrySet()) {
      List<String> named = new ArrayList<>(e.getValue());
      if (e.getKey().equals(movingDigest)) {
        named.add(moving);
      }
      Outcome o = carry(repo, kind, e.getKey(), e.getValue(), named);
      switch (o) {
        case COPIED -> copied++;
        case PRESENT -> present++;
        case REFUSED -> refusedHere++;
      }
      if (e.getKey().equals(movingDigest)) {
        movingOutcome = o;
      }
    }
    String movingAtDest = moveTag(repo, kind, movingDigest, movingOutcome);
    LOG.debug(
        "{} {}: {} copied, {} present, {} refused; {} at the destination is {}",
        kind,
        repo,
        copied,
        present,
        refusedHere,
        moving,
        movingAtDest);
    return Optional.of(
        new RepositoryResult(repo, kind, copied, present, refusedHere, movingAtDest));
  }

  private Listing list(String repo, RepositoryKind kind) {
    List<String> tags = source.listTags(repo);
    if (tags.isEmpty()) {
      return null;
    }
    Map<String, List<String>> byDigest = new LinkedHashMap<>();
    List<String> ignored = new ArrayList<>();
    List<String> seqTags = new ArrayList<>();
    String moving = kind.movingTag();
    for (String tag : tags) {
      if (SEQ.matcher(tag).matches()) {
        seqTags.add(tag);
      } else if (!tag.equals(moving) && !isSignatureTag(tag)) {
        ignored.add(tag);
      }
    }
    seqTags.sort(Comparator.comparingLong(RepositoryTransfer::sequenceOf));
    for (String tag : seqTags) {
      source
          .resolve(repo, tag)
          .ifPresent(d -> byDigest.computeIfAbsent(d.digest(), k -> new ArrayList<>()).add(tag));
    }
    String movingDigest =
        tags.contains(moving)
            ? source.resolve(repo, moving).map(Descriptor::digest).orElse(null)
            : null;
    if (movingDigest != null) {
      byDigest.putIfAbsent(movingDigest, new ArrayList<>());
    }
    if (!ignored.isEmpty()) {
      notes.add(
          repo
              + ": tags "
              + ignored
              + " not carried (only seq-<n>, "
              + moving
              + " and signatures)");
    }
    return new Listing(byDigest, movingDigest);
  }

  private Outcome carry(
      String repo, RepositoryKind kind, String digest, List<String> seqTags, List<String> named) {
    String sigTag = BundleRepository.signatureTag(digest);
    try {
      Optional<String> srcSig = source.resolve(repo, sigTag).map(Descriptor::digest);
      if (srcSig.isPresent()
          && dest.resolve(repo, digest).isPresent()
          && dest.resolve(repo, sigTag).map(Descriptor::digest).equals(srcSig)) {
        retag(repo, kind, digest, seqTags);
        tally.manifestsPresent(2);
        LOG.debug("{}@{} already at {}", repo, digest, dest.location());
        return Outcome.PRESENT;
      }
    } catch (OciException e) {
      if (!e.isRejection()) {
        throw e;
      }
      return refuse(repo, kind, digest, named, e);
    }
    ReadOnce view = new ReadOnce(source);
    ArtifactCopy copy;
    try {
      long sequence = checks.get(kind).verify(view, repo, digest);
      checkSequenceTags(seqTags, sequence);
      copy = ArtifactCopy.read(view, dest, repo, digest, sigTag, limits);
    } catch (OciException e) {
      if (!e.isRejection()) {
        throw e;
      }
      return refuse(repo, kind, digest, named, e);
    }
    copy.write(dest, seqTags, tally);
    LOG.debug("{}@{} copied to {}", repo, digest, dest.location());
    return Outcome.COPIED;
  }

  /** Sets the {@code seq-<n>} tags the destination lacks on an artifact it already has. */
  private void retag(String repo, RepositoryKind kind, String digest, List<String> seqTags) {
    List<String> missing = new ArrayList<>();
    for (String tag : seqTags) {
      if (!dest.resolve(repo, tag).map(Descriptor::digest).equals(Optional.of(digest))) {
        missing.add(tag);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    byte[] manifest = destManifest(repo, digest);
    if (kind == RepositoryKind.BUNDLES) {
      checkSequenceTags(missing, annotatedSequence(manifest));
    }
    for (String tag : missing) {
      dest.putManifest(repo, tag, manifest);
      tally.tagWritten();
    }
  }

  private static void checkSequenceTags(List<String> seqTags, long sequence) {
    for (String tag : seqTags) {
      if (sequence >= 0 && sequenceOf(tag) != sequence) {
        throw new OciException(
            Reason.ANNOTATION_MISMATCH,
            "tag " + tag + " points at a bundle with sequence " + sequence);
      }
    }
  }

  private Outcome refuse(
      String repo, RepositoryKind kind, String digest, List<String> named, OciException e) {
    String what = kind == RepositoryKind.BUNDLES ? "bundle " : "artifact ";
    String message =
        what + repo + "@" + digest + " (tags " + named + ") refused: " + e.getMessage();
    refused.add(new Refusal(repo, named, digest, e.reason(), message));
    LOG.warn("{}", message);
    return Outcome.REFUSED;
  }

  /** Moves the moving tag to {@code digest} when it was carried; returns its digest afterwards. */
  private String moveTag(String repo, RepositoryKind kind, String digest, Outcome outcome) {
    String moving = kind.movingTag();
    String current = dest.resolve(repo, moving).map(Descriptor::digest).orElse(null);
    if (digest == null || digest.equals(current)) {
      return current;
    }
    if (outcome == Outcome.REFUSED) {
      notes.add(
          repo
              + ": "
              + moving
              + " not moved: the artifact it points at at the source was refused; it stays at "
              + (current == null ? "nothing" : current));
      return current;
    }
    byte[] manifest = destManifest(repo, digest);
    if (kind == RepositoryKind.BUNDLES && current != null) {
      long destSeq = annotatedSequence(destManifest(repo, current));
      long srcSeq = annotatedSequence(manifest);
      if (destSeq > srcSeq) {
        notes.add(
            repo
                + ": "
                + moving
                + " left at sequence "
                + destSeq
                + ": the source's "
                + moving
                + " is older (sequence "
                + srcSeq
                + ")");
        return current;
      }
    }
    dest.putManifest(repo, moving, manifest);
    tally.tagWritten();
    return digest;
  }

  private byte[] destManifest(String repo, String digest) {
    byte[] m = dest.fetchManifest(repo, digest, limits.maxManifest());
    if (!Digests.sha256(m).equals(digest)) {
      throw new OciException(
          Reason.PROTOCOL_ERROR,
          dest.location()
              + ": manifest "
              + repo
              + "@"
              + digest
              + " at the destination has other content; check the destination store");
    }
    return m;
  }

  private static long annotatedSequence(byte[] manifest) {
    try {
      String s = OciManifest.parse(manifest).annotations().get(BundleAnnotations.SEQUENCE);
      return s == null ? Long.MIN_VALUE : Long.parseLong(s);
    } catch (RuntimeException e) {
      return Long.MIN_VALUE;
    }
  }

  private static boolean isSignatureTag(String tag) {
    return tag.startsWith("sha256-") && tag.endsWith(".sig");
  }

  private static long sequenceOf(String seqTag) {
    Matcher m = SEQ.matcher(seqTag);
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }
}
