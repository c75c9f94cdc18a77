package io.kapro.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Names of controller-made objects. */
public final class Names {
  /** Longest name Kapro makes (also fits a label value). */
  public static final int MAX = 63;

  private Names() {}

  /**
   * The Target of one cluster in one stage of a run: {@code <run>-<stage>-<cluster>}, shortened.
   */
  public static String target(String run, String stage, String cluster) {
    return shorten(run + "-" + stage + "-" + cluster, MAX);
  }

  /**
   * Returns the name unchanged when it fits, else its first characters, a dash and 8 hex characters
   * of its SHA-256, {@code max} long in total (stable, and distinct for distinct inputs in
   * practice).
   */
  public static String shorten(String name, int max) {
    if (name.length() <= max) {
      return name;
    }
    String hash = HexFormat.of().formatHex(sha256(name)).substring(0, 8);
    String head = name.substring(0, max - hash.length() - 1).replaceAll("[-.]+$", "");
    return head + "-" + hash;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
