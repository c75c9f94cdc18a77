package io.kapro.hub.publish;

import io.kapro.oci.OciException;
import io.kapro.oci.bundle.BundleJson;
import io.kapro.oci.bundle.BundlePayload;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.bundle.OciManifest;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.verify.BundleVerifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  /** At most this many {@code seq-} tags that do not verify are looked at before giving up. */
  static final int MAX_UNVERIFIED_TAGS = 64;

  private static final Logger LOG = LoggerFactory.getLogger(BundleReader.class);

  /**
   * The highest sequence of a bundle in the repository that is signed by {@code keys} and bound to
   * {@code namespace}/{@code cluster}, 0 when none. A {@code seq-<n>} tag counts only when the
   * payload it points at verifies and says sequence {@code n}: anyone who can push a tag to the
   * registry could otherwise raise the next sequence to the end of the range and stop publishing.
   * Tags are tried from the highest down.
   *
   * @throws OciException when more than {@link #MAX_UNVERIFIED_TAGS} tags above the first signed
   *     one do not verify (someone pushed them: delete them)
   */
  static long highestSignedSequence(
      BundleStore store, String repository, TrustedKeys keys, String namespace, String cluster) {
    List<Long> tagged = new ArrayList<>();
    for (String tag : store.listTags(repository)) {
      if (tag.startsWith("seq-") && tag.length() <= 4 + 16 && tag.substring(4).matches("\\d+")) {
        tagged.add(Long.parseLong(tag.substring(4)));
      }
    }
    tagged.sort(Comparator.reverseOrder());
    BundleVerifier verifier = BundleVerifier.forTransfer(keys).build();
    int refused = 0;
    for (long n : tagged) {
      String tag = sequenceTag(n);
      try {
        BundlePayload p = verifier.verify(store, repository, tag, 0).payload();
        if (p.sequence() == n && p.namespace().equals(namespace) && p.cluster().equals(cluster)) {
          return n;
        }
        LOG.warn(
            "{} {}:{} is signed but holds sequence {} of {}/{}; ignored for the next sequence",
            store.location(),
            repository,
            tag,
            p.sequence(),
            p.namespace(),
            p.cluster());
      } catch (OciException e) {
        if (!e.isRejection()) {
          throw e;
        }
        LOG.warn(
            "{} {}:{} does not verify with the Fleet's key ({}); ignored for the next sequence",
            store.location(),
            repository,
            tag,
            e.getMessage());
      }
      if (++refused >= MAX_UNVERIFIED_TAGS) {
        throw new OciException(
            OciException.Reason.INVALID_INPUT,
            repository
                + " holds "
                + refused
                + " seq- tags above the last signed bundle that do not verify with the Fleet's"
                + " key; delete them from "
                + store.location());
      }
    }
    return 0;
  }

  static String sequenceTag(long sequence) {
    return BundleRepository.sequenceTag(sequence);
  }
}
