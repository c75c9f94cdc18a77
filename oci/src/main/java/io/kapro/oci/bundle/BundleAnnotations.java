package io.kapro.oci.bundle;

/** Annotation keys on bundle and signature manifests. */
public final class BundleAnnotations {
  public static final String CLUSTER = "io.kapro.bundle.cluster";
  public static final String NAMESPACE = "io.kapro.bundle.namespace";
  public static final String FLEET = "io.kapro.bundle.fleet";
  public static final String RUN = "io.kapro.bundle.run";
  public static final String SEQUENCE = "io.kapro.bundle.sequence";
  public static final String ISSUED = "io.kapro.bundle.issued";
  public static final String EXPIRES = "io.kapro.bundle.expires";
  public static final String ROLLBACK = "io.kapro.bundle.rollback";
  public static final String SCHEMA = "io.kapro.bundle.schema";

  /** Standard OCI creation time; set to the payload's issuedAt so digests stay deterministic. */
  public static final String OCI_CREATED = "org.opencontainers.image.created";

  /** Tag name of a manifest inside an OCI image layout's index.json. */
  public static final String OCI_REF_NAME = "org.opencontainers.image.ref.name";

  /** cosign's signature annotation on the simple-signing layer (base64 ASN.1 DER ECDSA). */
  public static final String COSIGN_SIGNATURE = "dev.cosignproject.cosign/signature";

  /** Kapro's key id (hex SHA-256 of the public key DER) on the simple-signing layer. */
  public static final String KEY_ID = "io.kapro.signature.keyid";

  private BundleAnnotations() {}
}
