package io.kapro.oci.mirror;

import io.kapro.oci.OciException.Reason;
import java.util.List;

/**
 * What a mirror run did.
 *
 * @param operation {@code pull}, {@code push} or {@code sync}
 * @param from the source store's location
 * @param to the destination store's location
 * @param repositories one result per selected repository, in the order they were carried
 * @param counts totals over all repositories
 * @param refused every artifact (or repository) that was refused and not carried, with the reason
 * @param missing selected bundle repositories the source does not have
 * @param notes other things an operator should know (a destination tag left newer, ignored tags)
 */
public record MirrorReport(
    String operation,
    String from,
    String to,
    List<RepositoryResult> repositories,
    Counts counts,
    List<Refusal> refused,
    List<String> missing,
    List<String> notes) {
  public MirrorReport {
    repositories = List.copyOf(repositories);
    refused = List.copyOf(refused);
    missing = List.copyOf(missing);
    notes = List.copyOf(notes);
  }

  /** True when nothing was refused and every selected bundle repository was found. */
  public boolean complete() {
    return refused.isEmpty() && missing.isEmpty();
  }

  /** One line for logs and the CLI. */
  public String summary() {
    return operation
        + " "
        + from
        + " -> "
        + to
        + ": "
        + repositories.size()
        + " repositories, "
        + counts.manifestsCopied()
        + " manifests and "
        + counts.blobsCopied()
        + " blobs copied ("
        + counts.bytesCopied()
        + " bytes), "
        + counts.manifestsPresent()
        + " manifests and "
        + counts.blobsPresent()
        + " blobs already present, "
        + counts.tagsWritten()
        + " tags written, "
        + refused.size()
        + " refused, "
        + missing.size()
        + " missing";
  }

  /**
   * Totals. A bundle counts two manifests (the bundle and its signature); tags are counted apart.
   *
   * @param manifestsCopied manifests written to the destination by digest or signature tag
   * @param blobsCopied blobs written to the destination
   * @param bytesCopied bytes of those manifests and blobs
   * @param manifestsPresent manifests skipped because the destination already had them
   * @param blobsPresent blobs skipped because the destination already had them
   * @param tagsWritten {@code seq-<n>}, {@code desired} and {@code latest} tags set or moved
   */
  public record Counts(
      int manifestsCopied,
      int blobsCopied,
      long bytesCopied,
      int manifestsPresent,
      int blobsPresent,
      int tagsWritten) {}

  /**
   * Per repository.
   *
   * @param repository the repository path
   * @param kind bundles or evidence
   * @param copied artifacts copied
   * @param present artifacts already at the destination (same manifest and signature)
   * @param refused artifacts refused
   * @param movingTag the digest the moving tag ({@code desired}/{@code latest}) has at the
   *     destination after the run, or null when it has none
   */
  public record RepositoryResult(
      String repository,
      RepositoryKind kind,
      int copied,
      int present,
      int refused,
      String movingTag) {}

  /**
   * An artifact that was not carried. Nothing of it was written to the destination.
   *
   * @param repository where it is at the source
   * @param tags the source tags that point at it (empty when the whole repository was refused)
   * @param digest its manifest digest, or null when the repository itself could not be read
   * @param reason the rejection reason
   * @param message what is wrong, naming the artifact
   */
  public record Refusal(
      String repository, List<String> tags, String digest, Reason reason, String message) {
    public Refusal {
      tags = List.copyOf(tags);
    }
  }
}
