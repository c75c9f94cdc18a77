package io.kapro.hub.events;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 signature of an event, in and out. Header {@value #HEADER}: {@code t=<unix
 * seconds>,v1=<lowercase hex>}, where the hex is HMAC-SHA256(key, {@code "<t>.<ce-id>.<body>"})
 * over the exact body bytes. A receiver rejects a {@code t} more than {@link #TOLERANCE_SECONDS}
 * away from its clock.
 */
public final class Signatures {
  public static final String HEADER = "X-Kapro-Signature";
  public static final long TOLERANCE_SECONDS = 300;

  private Signatures() {}

  public static String header(byte[] key, long t, String id, byte[] body) {
    return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac(key, t, id, body));
  }

  /** Whether {@code header} is a valid signature of (id, body) within the time tolerance. */
  public static boolean verify(byte[] key, String header, String id, byte[] body, long now) {
    if (header == null || id == null || key == null || key.length == 0) {
      return false;
    }
    Long t = null;
    String v1 = null;
    for (String part : header.split(",")) {
      String[] kv = part.trim().split("=", 2);
      if (kv.length != 2) {
        return false;
      }
      if (kv[0].equals("t")) {
        try {
          t = Long.parseLong(kv[1]);
        } catch (NumberFormatException e) {
          return false;
        }
      } else if (kv[0].equals("v1")) {
        v1 = kv[1];
      }
    }
    if (t == null || v1 == null || Math.abs(now - t) > TOLERANCE_SECONDS) {
      return false;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(v1);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(given, mac(key, t, id, body));
  }

  private static byte[] mac(byte[] key, long t, String id, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((t + "." + id + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable or key unusable", e);
    }
  }
}
