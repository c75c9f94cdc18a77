package io.kapro.hub.publish;

import io.kapro.oci.OciException;
import io.kapro.oci.bundle.BundleJson;
import io.kapro.oci.bundle.BundlePayload;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.bundle.OciManifest;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.verify.BundleVerifier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads back a bundle the hub published, by manifest digest (content-addressed, so the digest the
 * Cluster status recorded is proof enough; no signature check, and expired bundles are readable,
 * which re-issuing needs). Payloads are cached by digest.
 */
final class BundleReader {
  private static final int CACHE = 10_000;

  private final Map<String, BundlePayload> cache =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BundlePayload> e) {
          return size() > CACHE;
        }
      };

  synchronized void remember(String digest, BundlePayload payload) {
    cache.put(digest, payload);
  }

  BundlePayload read(BundleStore store, String repository, String digest) {
    synchronized (this) {
      BundlePayload p = cache.get(digest);
      if (p != null) {
        return p;
      }
    }
    byte[] manifest = store.fetchManifest(repository, digest, BundleVerifier.DEFAULT_MAX_MANIFEST);
    if (!Digests.sha256(manifest).equals(digest)) {
      throw new OciException(
          OciException.Reason.DIGEST_MISMATCH,
          store.location()
              + ": manifest "
              + repository
              + "@"
              + digest
              + " does not hash to its digest");
    }
    OciManifest m = OciManifest.parse(manifest);
    if (m.layers().size() != 1) {
      throw new OciException(
          OciException.Reason.MALFORMED, repository + "@" + digest + " is not a Kapro bundle");
    }
    String layerDigest = m.layers().get(0).digest();
    byte[] layer = store.fetchBlob(repository, layerDigest, BundleVerifier.DEFAULT_MAX_PAYLOAD);
    if (!Digests.sha256(layer).equals(layerDigest)) {
      throw new OciException(
          OciException.Reason.LAYER_DIGEST_MISMATCH,
          store.location()
              + ": payload of "
              + repository
              + "@"
              + digest
              + " does not hash to its digest");
    }
    BundlePayload p = BundleJson.read(layer);
    remember(digest, p);
    return p;
  }

  /** The highest {@code seq-<n>} tag in the repository, 0 when none. */
  static long highestSequenceTag(BundleStore store, String repository) {
    long max = 0;
    for (String tag : store.listTags(repository)) {
      if (tag.startsWith("seq-")) {
        try {
          max = Math.max(max, Long.parseLong(tag.substring(4)));
        } catch (NumberFormatException e) {
          // not ours
        }
      }
    }
    return max;
  }

  static String sequenceTag(long sequence) {
    return BundleRepository.sequenceTag(sequence);
  }
}
