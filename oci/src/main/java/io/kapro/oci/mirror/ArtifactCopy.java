package io.kapro.oci.mirror;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.bundle.OciManifest;
import io.kapro.oci.store.BundleStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One verified artifact read from the source and ready to write: its manifest and signature
 * manifest with the blobs the destination lacks (each checked against its descriptor). {@link
 * #write} puts them in the order that keeps every reader safe: blobs, manifest, signature blobs,
 * signature manifest, {@code seq-<n>} tags.
 */
record ArtifactCopy(
    String repository,
    String digest,
    byte[] manifest,
    boolean manifestPresent,
    List<byte[]> blobs,
    String signatureTag,
    byte[] signature,
    List<byte[]> signatureBlobs,
    int blobsPresent) {

  /** Reads everything the destination lacks; throws a rejection when a blob is not what it says. */
  static ArtifactCopy read(
      ReadOnce view,
      BundleStore dest,
      String repository,
      String digest,
      String signatureTag,
      Limits limits) {
    byte[] manifest = view.fetchManifest(repository, digest, limits.maxManifest());
    if (!Digests.sha256(manifest).equals(digest)) {
      throw new OciException(
          Reason.DIGEST_MISMATCH, "manifest content hashes to " + Digests.sha256(manifest));
    }
    byte[] signature = view.fetchManifest(repository, signatureTag, limits.maxManifest());
    int[] present = {0};
    List<byte[]> blobs = missingBlobs(view, dest, repository, manifest, limits, present);
    List<byte[]> sigBlobs = missingBlobs(view, dest, repository, signature, limits, present);
    boolean manifestPresent = dest.resolve(repository, digest).isPresent();
    return new ArtifactCopy(
        repository,
        digest,
        manifest,
        manifestPresent,
        blobs,
        signatureTag,
        signature,
        sigBlobs,
        present[0]);
  }

  private static List<byte[]> missingBlobs(
      ReadOnce view,
      BundleStore dest,
      String repository,
      byte[] manifestBytes,
      Limits limits,
      int[] present) {
    OciManifest m = OciManifest.parse(manifestBytes);
    Map<String, Descriptor> refs = new LinkedHashMap<>();
    refs.put(m.config().digest(), m.config());
    m.layers().forEach(l -> refs.putIfAbsent(l.digest(), l));
    List<byte[]> out = new ArrayList<>();
    for (Descriptor d : refs.values()) {
      if (dest.hasBlob(repository, d.digest())) {
        present[0]++;
        continue;
      }
      if (d.size() > limits.maxBlob()) {
        throw new OciException(
            Reason.TOO_LARGE,
            "blob " + d.digest() + " of " + d.size() + " bytes exceeds " + limits.maxBlob());
      }
      byte[] b = view.fetchBlob(repository, d.digest(), limits.maxBlob());
      if (b.length != d.size() || !Digests.sha256(b).equals(d.digest())) {
        throw new OciException(
            Reason.LAYER_DIGEST_MISMATCH,
            "blob "
                + d.digest()
                + " ("
                + d.mediaType()
                + ") has other content ("
                + b.length
                + " bytes, "
                + Digests.sha256(b)
                + ") than its descriptor ("
                + d.size()
                + " bytes)");
      }
      out.add(b);
    }
    return out;
  }

  /** Writes blobs → manifest → signature blobs → signature manifest → the given tags. */
  void write(BundleStore dest, List<String> tags, Tally tally) {
    for (byte[] b : blobs) {
      dest.putBlob(repository, b);
      tally.blobCopied(b.length);
    }
    if (manifestPresent) {
      tally.manifestsPresent(1);
    } else {
      dest.putManifest(repository, digest, manifest);
      tally.manifestCopied(manifest.length);
    }
    for (byte[] b : signatureBlobs) {
      dest.putBlob(repository, b);
      tally.blobCopied(b.length);
    }
    dest.putManifest(repository, signatureTag, signature);
    tally.manifestCopied(signature.length);
    tally.blobsPresent(blobsPresent);
    for (String tag : tags) {
      dest.putManifest(repository, tag, manifest);
      tally.tagWritten();
    }
  }

  /** Size limits of one run. */
  record Limits(long maxManifest, long maxPayload, long maxBlob) {}
}
