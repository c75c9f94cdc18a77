package io.kapro.oci.mirror;

/**
 * Counters of one run, shared by the repositories carried in parallel; turned into {@link
 * MirrorReport.Counts} at the end.
 */
final class Tally {
  private int manifestsCopied;
  private int blobsCopied;
  private long bytesCopied;
  private int manifestsPresent;
  private int blobsPresent;
  private int tagsWritten;

  synchronized void blobCopied(long bytes) {
    blobsCopied++;
    bytesCopied += bytes;
  }

  synchronized void manifestCopied(long bytes) {
    manifestsCopied++;
    bytesCopied += bytes;
  }

  synchronized void manifestsPresent(int n) {
    manifestsPresent += n;
  }

  synchronized void blobsPresent(int n) {
    blobsPresent += n;
  }

  synchronized void tagWritten() {
    tagsWritten++;
  }

  synchronized MirrorReport.Counts counts() {
    return new MirrorReport.Counts(
        manifestsCopied, blobsCopied, bytesCopied, manifestsPresent, blobsPresent, tagsWritten);
  }
}
