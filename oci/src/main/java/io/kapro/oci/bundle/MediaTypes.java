package io.kapro.oci.bundle;

/** Media and artifact types of Kapro bundles and of the OCI and cosign objects around them. */
public final class MediaTypes {
  /** The bundle manifest's {@code artifactType}. */
  public static final String BUNDLE_ARTIFACT = "application/vnd.kapro.bundle.v1";

  /** The one layer of a bundle: the canonical JSON payload. */
  public static final String BUNDLE_LAYER = "application/vnd.kapro.bundle.v1+json";

  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
  public static final String OCI_IMAGE_CONFIG = "application/vnd.oci.image.config.v1+json";

  /** The well-known empty config blob {@code {}} and its digest. */
  public static final byte[] EMPTY_CONFIG = {'{', '}'};

  public static final String EMPTY_CONFIG_DIGEST =
      "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

  /** cosign's simple-signing payload layer. */
  public static final String COSIGN_SIMPLE_SIGNING =
      "application/vnd.dev.cosign.simplesigning.v1+json";

  private MediaTypes() {}
}
