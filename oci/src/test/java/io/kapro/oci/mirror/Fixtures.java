package io.kapro.oci.mirror;

import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.bundle.OciManifest;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.testing.TestBundles;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Bundles for mirror tests, and the consistency rule every observable state must satisfy. */
final class Fixtures {
  static final String PREFIX = "kapro";
  private static final Pattern SEQ = Pattern.compile("seq-\\d+");

  private Fixtures() {}

  static String repo(String namespace, String cluster) {
    return BundleRepository.of(PREFIX, namespace, cluster);
  }

  /** Signs and puts bundle {@code sequence} for the cluster; returns it. */
  static SignedBundle publish(
      BundleStore store, SigningKey key, String namespace, String cluster, long sequence) {
    SignedBundle b =
        SignedBundle.sign(
            TestBundles.payload(namespace, cluster, sequence, Instant.now(), Duration.ofDays(1)),
            key,
            store.location() + "/" + repo(namespace, cluster));
    store.put(repo(namespace, cluster), b);
    return b;
  }

  /**
   * Every {@code desired}/{@code latest}/{@code seq-<n>} tag in the repositories resolves to a
   * manifest whose blobs are there and whose signature manifest (and its blobs) is there.
   *
   * @return what is broken (empty when consistent)
   */
  static List<String> violations(BundleStore store, List<String> repositories) {
    List<String> out = new ArrayList<>();
    for (String repo : repositories) {
      for (String tag : store.listTags(repo)) {
        if (!tag.equals("desired") && !tag.equals("latest") && !SEQ.matcher(tag).matches()) {
          continue;
        }
        Optional<Descriptor> d = store.resolve(repo, tag);
        if (d.isEmpty()) {
          out.add(repo + ":" + tag + " is listed but does not resolve");
          continue;
        }
        String digest = d.get().digest();
        checkManifest(store, repo, digest, repo + ":" + tag, out);
        String sig = BundleRepository.signatureTag(digest);
        if (store.resolve(repo, sig).isEmpty()) {
          out.add(repo + ":" + tag + " -> " + digest + " has no signature " + sig);
        } else {
          checkManifest(store, repo, sig, repo + ":" + sig, out);
        }
      }
    }
    return out;
  }

  private static void checkManifest(
      BundleStore store, String repo, String ref, String what, List<String> out) {
    byte[] bytes;
    try {
      bytes = store.fetchManifest(repo, ref, 1 << 20);
    } catch (RuntimeException e) {
      out.add(what + ": manifest missing: " + e.getMessage());
      return;
    }
    OciManifest m = OciManifest.parse(bytes);
    List<Descriptor> blobs = new ArrayList<>(m.layers());
    blobs.add(m.config());
    for (Descriptor b : blobs) {
      try {
        store.fetchBlob(repo, b.digest(), 1 << 24);
      } catch (RuntimeException e) {
        out.add(what + ": blob " + b.digest() + " missing");
      }
    }
  }
}
