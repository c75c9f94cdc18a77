package io.kapro.oci.mirror;

import io.kapro.oci.bundle.BundleRepository;

/**
 * What a mirrored repository holds, and so how it is verified and which tag moves.
 *
 * <ul>
 *   <li>{@link #BUNDLES}: a cluster's bundles ({@code <prefix>/<namespace>/<cluster>}), verified as
 *       bundles against the fleet's keys; tags {@code seq-<n>} and the moving {@code desired}.
 *   <li>{@link #EVIDENCE}: a cluster's evidence artifacts ({@code
 *       <prefix>/<namespace>/<cluster>/evidence}), verified as cosign-signed artifacts against the
 *       clusters' keys; tags {@code seq-<n>} and the moving {@code latest}.
 * </ul>
 */
public enum RepositoryKind {
  BUNDLES(BundleRepository.DESIRED_TAG),
  EVIDENCE("latest");

  /** The last path component of a cluster's evidence repository. */
  public static final String EVIDENCE_COMPONENT = "evidence";

  private final String movingTag;

  RepositoryKind(String movingTag) {
    this.movingTag = movingTag;
  }

  /** The tag that moves to the newest artifact; written last. */
  public String movingTag() {
    return movingTag;
  }

  /** {@code <bundleRepository>/evidence}: where a cluster's agent writes its evidence. */
  public static String evidenceRepository(String bundleRepository) {
    return BundleRepository.requireRepository(bundleRepository) + "/" + EVIDENCE_COMPONENT;
  }
}
