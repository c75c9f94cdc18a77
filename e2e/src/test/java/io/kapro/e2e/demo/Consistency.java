package io.kapro.e2e.demo;

import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.bundle.OciManifest;
import io.kapro.oci.store.BundleStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The rule a mirror must keep at every moment: no tag on a missing manifest, blob or signature. */
final class Consistency {
  private Consistency() {}

  /** What is broken in the repositories (empty when consistent). */
  static List<String> violations(BundleStore store, List<String> repositories) {
    List<String> out = new ArrayList<>();
    for (String repo : repositories) {
      for (String tag : store.listTags(repo)) {
        if (!tag.equals("desired") && !tag.equals("latest") && !tag.matches("seq-\\d+")) {
          continue;
        }
        Optional<Descriptor> d = store.resolve(repo, tag);
        if (d.isEmpty()) {
          out.add(repo + ":" + tag + " is listed but does not resolve");
          continue;
        }
        check(store, repo, d.get().digest(), repo + ":" + tag, out);
        String sig = BundleRepository.signatureTag(d.get().digest());
        if (store.resolve(repo, sig).isEmpty()) {
          out.add(repo + ":" + tag + " has no signature " + sig);
        } else {
          check(store, repo, sig, repo + ":" + sig, out);
        }
      }
    }
    return out;
  }

  private static void check(
      BundleStore store, String repo, String ref, String what, List<String> out) {
    OciManifest m;
    try {
      m = OciManifest.parse(store.fetchManifest(repo, ref, 1 << 20));
    } catch (RuntimeException e) {
      out.add(what + ": manifest missing: " + e.getMessage());
      return;
    }
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
