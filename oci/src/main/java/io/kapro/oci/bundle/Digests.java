package io.kapro.oci.bundle;

import io.kapro.oci.OciException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 content digests in OCI form ({@code sha256:<64 lowercase hex>}). */
public final class Digests {
  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

  private Digests() {}

  /** {@code sha256:<hex>} of the bytes. */
  public static String sha256(byte[] content) {
    return "sha256:" + HexFormat.of().formatHex(sha256Raw(content));
  }

  /** The raw 32-byte SHA-256 of the bytes. */
  public static byte[] sha256Raw(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** True for a well-formed {@code sha256:<64 lowercase hex>} digest. */
  public static boolean isSha256(String digest) {
    return digest != null && SHA256.matcher(digest).matches();
  }

  /** The digest itself, or an {@link OciException} naming the field when it is not well-formed. */
  public static String requireSha256(String digest, String field) {
    if (!isSha256(digest)) {
      throw new OciException(
          OciException.Reason.INVALID_INPUT,
          field + " must be a digest of the form sha256:<64 lowercase hex>, got '" + digest + "'");
    }
    return digest;
  }

  /** The 64 hex characters after {@code sha256:}. */
  public static String hex(String digest) {
    return requireSha256(digest, "digest").substring("sha256:".length());
  }
}
