package io.kapro.oci.store;

import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.bundle.MediaTypes;
import io.kapro.oci.sign.SignedBundle;
import java.util.List;
import java.util.Optional;

/**
 * Where bundles live: an OCI registry ({@link RegistryStore}) or an OCI image layout directory or
 * tar ({@link OciLayoutStore}). Repositories are paths such as {@code kapro/team-a/eu-1};
 * references are tags or {@code sha256:} digests. Every failure is an {@link
 * io.kapro.oci.OciException} whose message names the store, the operation and what to check.
 */
public interface BundleStore extends AutoCloseable {

  /**
   * Where this store is, for messages and logs ({@code https://reg:5000}, {@code oci-layout:/x}).
   */
  String location();

  /** Stores a blob under its SHA-256 digest; a no-op when it is already there. */
  void putBlob(String repository, byte[] content);

  /**
   * Stores manifest bytes under a reference: a digest (which must equal the bytes' digest) or a tag
   * (which then points at them). The bytes are stored exactly as given.
   */
  void putManifest(String repository, String reference, byte[] manifest);

  /**
   * The descriptor a tag or digest resolves to, without downloading the content; empty if absent.
   */
  Optional<Descriptor> resolve(String repository, String reference);

  /**
   * The exact manifest bytes for a tag or digest.
   *
   * @param maxBytes refuse (reason {@code TOO_LARGE}) anything larger, before reading it all
   * @throws io.kapro.oci.OciException {@code NOT_FOUND} when absent
   */
  byte[] fetchManifest(String repository, String reference, long maxBytes);

  /**
   * The blob bytes for a digest (not verified here: the caller checks the digest).
   *
   * @param maxBytes refuse (reason {@code TOO_LARGE}) anything larger, before reading it all
   * @throws io.kapro.oci.OciException {@code NOT_FOUND} when absent
   */
  byte[] fetchBlob(String repository, String digest, long maxBytes);

  /** The repository's tags (empty when the repository does not exist). */
  List<String> listTags(String repository);

  /**
   * Whether a blob is stored in the repository, without downloading it. The default answers false
   * (unknown), which only costs a redundant upload: {@link #putBlob} is idempotent.
   */
  default boolean hasBlob(String repository, String digest) {
    return false;
  }

  /**
   * Every repository in this store, sorted (a registry's {@code /v2/_catalog}, a layout's
   * directories).
   *
   * @throws io.kapro.oci.OciException {@code INVALID_INPUT} when the store cannot list them; name
   *     the repositories instead
   */
  default List<String> repositories() {
    throw new io.kapro.oci.OciException(
        io.kapro.oci.OciException.Reason.INVALID_INPUT,
        location() + " cannot list its repositories; name the repositories (clusters) instead");
  }

  /**
   * Puts a signed bundle: blobs, the manifest by digest, the signature (blobs and manifest at tag
   * {@code sha256-<hex>.sig}), then tag {@code seq-<n>}, then tag {@code desired} last. A reader
   * that sees {@code desired} therefore always finds the signature.
   *
   * @return the bundle manifest's digest
   */
  default String put(String repository, SignedBundle bundle) {
    BundleRepository.requireRepository(repository);
    putBlob(repository, MediaTypes.EMPTY_CONFIG);
    putBlob(repository, bundle.bundle().layer());
    putManifest(repository, bundle.digest(), bundle.bundle().manifest());
    putSignature(repository, bundle);
    putManifest(repository, bundle.bundle().sequenceTag(), bundle.bundle().manifest());
    putManifest(repository, BundleRepository.DESIRED_TAG, bundle.bundle().manifest());
    return bundle.digest();
  }

  /** Puts only the signature objects of a bundle (blobs, then the {@code .sig} manifest). */
  default void putSignature(String repository, SignedBundle bundle) {
    putBlob(repository, bundle.signature().config());
    putBlob(repository, bundle.signature().payload());
    putManifest(
        repository, BundleRepository.signatureTag(bundle.digest()), bundle.signature().manifest());
  }

  @Override
  default void close() {}
}
