package io.kapro.oci.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Pushes small, distinct OCI images (an empty JSON config and one layer naming the tag) to a
 * plain-HTTP registry on loopback, the way a CI pipeline pushes a build; returns the manifest
 * digest the registry will report for the tag.
 */
public final class TestImages {
  private TestImages() {}

  /** Pushes an image tagged {@code tag} to {@code repo} at {@code host}; returns its digest. */
  public static String push(String host, String repo, String tag) {
    try {
      BarePush push = new BarePush(host);
      byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
      byte[] layer = ("image " + repo + ":" + tag).getBytes(StandardCharsets.UTF_8);
      push.blob(repo, config);
      push.blob(repo, layer);
      String manifest =
          "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
              + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
              + sha256(config)
              + "\",\"size\":"
              + config.length
              + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
              + "\"digest\":\""
              + sha256(layer)
              + "\",\"size\":"
              + layer.length
              + "}]}";
      byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
      push.manifest(repo, tag, bytes);
      return sha256(bytes);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String sha256(byte[] b) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
