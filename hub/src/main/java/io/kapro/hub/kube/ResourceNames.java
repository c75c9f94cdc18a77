package io.kapro.hub.kube;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic run names (Target names come from {@link io.kapro.api.Names#target}): the same
 * inputs always give the same name, at most 63 characters.
 */
public final class ResourceNames {
  public static final int MAX = 63;

  private ResourceNames() {}

  /**
   * {@code <promotion>-<first 10 hex of the spec hash>}, the promotion part shortened if needed.
   */
  public static String run(String promotion, String specHash) {
    String suffix = "-" + specHash.substring(0, Math.min(10, specHash.length()));
    String base =
        promotion.length() + suffix.length() > MAX
            ? trimDashes(promotion.substring(0, MAX - suffix.length()))
            : promotion;
    return base + suffix;
  }

  /** Hex SHA-256 of the text's UTF-8 bytes. */
  public static String sha256(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  private static String trimDashes(String s) {
    int end = s.length();
    while (end > 1 && (s.charAt(end - 1) == '-' || s.charAt(end - 1) == '.')) {
      end--;
    }
    return s.substring(0, end);
  }
}
