package io.kapro.oci.bundle;

import io.kapro.oci.OciException;
import java.util.regex.Pattern;

/** Naming of bundle repositories and tags: one repository per cluster. */
public final class BundleRepository {
  /** The moving tag an agent polls. */
  public static final String DESIRED_TAG = "desired";

  /** Default repository prefix (the Fleet's {@code registry.repositoryPrefix}). */
  public static final String DEFAULT_PREFIX = "kapro";

  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");

  private BundleRepository() {}

  /**
   * {@code <prefix>/<namespace>/<cluster>}; each path component must be a valid OCI repository
   * component (lowercase letters, digits, separators).
   */
  public static String of(String prefix, String namespace, String cluster) {
    StringBuilder sb = new StringBuilder();
    for (String part : prefix.split("/", -1)) {
      sb.append(component(part, "repositoryPrefix")).append('/');
    }
    return sb.append(component(namespace, "namespace"))
        .append('/')
        .append(component(cluster, "cluster"))
        .toString();
  }

  /** Tag {@code seq-<n>}. */
  public static String sequenceTag(long sequence) {
    return "seq-" + sequence;
  }

  /** cosign's signature tag for a manifest digest: {@code sha256-<hex>.sig}. */
  public static String signatureTag(String digest) {
    return "sha256-" + Digests.hex(digest) + ".sig";
  }

  /** Checks a repository path (components separated by '/'), naming the field in the error. */
  public static String requireRepository(String repository) {
    if (repository == null || repository.isEmpty() || repository.length() > 255) {
      throw new OciException(
          OciException.Reason.INVALID_INPUT,
          "repository must be 1..255 characters, got '" + repository + "'");
    }
    for (String part : repository.split("/", -1)) {
      component(part, "repository '" + repository + "'");
    }
    return repository;
  }

  private static String component(String part, String field) {
    if (part == null || !COMPONENT.matcher(part).matches()) {
      throw new OciException(
          OciException.Reason.INVALID_INPUT,
          field
              + ": '"
              + part
              + "' is not a valid OCI repository path component (lowercase letters and digits,"
              + " separated by '.', '_', '__' or '-')");
    }
    return part;
  }
}
