package io.kapro.oci.mirror;

/** Mutable counters of one run; turned into {@link MirrorReport.Counts} at the end. */
final class Tally {
  int manifestsCopied;
  int blobsCopied;
  long bytesCopied;
  int manifestsPresent;
  int blobsPresent;
  int tagsWritten;

  MirrorReport.Counts counts() {
    return new MirrorReport.Counts(
        manifestsCopied, blobsCopied, bytesCopied, manifestsPresent, blobsPresent, tagsWritten);
  }
}
