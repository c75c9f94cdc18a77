package io.kapro.api.v1alpha2;

/** How a Source orders the versions it found, to tell the newest (Flux ImagePolicy policies). */
public enum TagSelection {
  /** Semantic versions, highest first; tags that are not semantic versions are ignored. */
  SemVer,
  /** By the strings, highest first (order Desc: lowest first). */
  Alphabetical,
  /**
   * By the numbers the tags are, highest first (order Desc: lowest first); tags that are not
   * numbers are ignored.
   */
  Numerical
}
