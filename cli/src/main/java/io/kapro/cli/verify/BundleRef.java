package io.kapro.cli.verify;

import io.kapro.cli.CliException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A bundle reference on the command line.
 *
 * <ul>
 *   <li>registry: {@code [http://|https://]host[:port]/repository[:tag|@sha256:...]}
 *   <li>layout: {@code oci:<root>//<repository>[:tag|@digest]} (a directory or {@code .tar}), or
 *       {@code oci:<repository-dir>[:tag|@digest]} for a directory holding {@code oci-layout}
 * </ul>
 *
 * The reference defaults to tag {@code desired}.
 *
 * @param location what {@code BundleStores.open} takes ({@code oci:<root>} or a registry)
 * @param repository repository path
 * @param reference tag or digest
 */
public record BundleRef(String location, String repository, String reference) {
  static final String DEFAULT_TAG = "desired";

  /** Parses a reference; errors name the expected forms. */
  public static BundleRef parse(String ref) {
    if (ref == null || ref.isBlank() || ref.chars().anyMatch(ch -> ch < 0x21 || ch == 0x7f)) {
      throw bad(ref, "it is empty or contains spaces or control characters");
    }
    if (ref.length() > 4096) {
      throw bad(ref.substring(0, 40) + "...", "it is longer than 4096 characters");
    }
    return ref.startsWith("oci:") ? layout(ref.substring(4)) : registry(ref);
  }

  private static BundleRef layout(String rest) {
    String[] pathAndRef = splitReference(rest);
    String path = pathAndRef[0];
    int split = path.indexOf("//");
    if (split > 0) {
      String root = path.substring(0, split);
      String repo = path.substring(split + 2);
      return new BundleRef("oci:" + root, requireRepo(rest, repo), pathAndRef[1]);
    }
    Path dir = Path.of(path);
    if (path.endsWith(".tar")) {
      throw bad("oci:" + rest, "a tar needs the repository: oci:<file.tar>//<repository>[:tag]");
    }
    if (!Files.isRegularFile(dir.resolve("oci-layout"))) {
      throw new CliException(
          CliException.Reason.NOT_FOUND,
          dir + " is not an OCI image layout (no oci-layout file)",
          "give the repository directory, or oci:<root>//<repository>[:tag]");
    }
    Path parent = dir.toAbsolutePath().normalize().getParent();
    String name = dir.toAbsolutePath().normalize().getFileName().toString();
    return new BundleRef("oci:" + parent, requireRepo(rest, name), pathAndRef[1]);
  }

  private static BundleRef registry(String ref) {
    String scheme = "";
    String rest = ref;
    int s = ref.indexOf("://");
    if (s >= 0) {
      scheme = ref.substring(0, s + 3);
      rest = ref.substring(s + 3);
    }
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw bad(ref, "expected host[:port]/repository[:tag|@digest] or oci:<path>");
    }
    String host = rest.substring(0, slash);
    String[] repoAndRef = splitReference(rest.substring(slash + 1));
    return new BundleRef(scheme + host, requireRepo(ref, repoAndRef[0]), repoAndRef[1]);
  }

  /** Splits {@code x:tag} or {@code x@sha256:...}; a colon before the last '/' is not a tag. */
  private static String[] splitReference(String s) {
    int at = s.lastIndexOf('@');
    if (at > 0) {
      String digest = s.substring(at + 1);
      if (!digest.matches("sha256:[a-f0-9]{64}")) {
        throw bad(s, "the digest after '@' must be sha256:<64 hex>");
      }
      return new String[] {s.substring(0, at), digest};
    }
    int colon = s.lastIndexOf(':');
    if (colon > s.lastIndexOf('/') && colon > 0) {
      String tag = s.substring(colon + 1);
      if (!tag.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}")) {
        throw bad(s, "tag '" + tag + "' is not a valid tag");
      }
      return new String[] {s.substring(0, colon), tag};
    }
    return new String[] {s, DEFAULT_TAG};
  }

  private static String requireRepo(String ref, String repo) {
    if (!repo.matches("[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*")) {
      throw bad(ref, "repository '" + repo + "' must be lower-case path components");
    }
    return repo;
  }

  private static CliException bad(String ref, String why) {
    return CliException.usage(
        "bundle reference '" + ref + "' is not valid: " + why,
        "write registry:port/repository[:tag|@sha256:...] or oci:<root>//<repository>[:tag]");
  }
}
