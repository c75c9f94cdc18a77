package io.kapro.cli.keys;

import io.kapro.cli.CliException;
import io.kapro.oci.OciException;
import io.kapro.oci.sign.Pem;
import io.kapro.oci.sign.SigningKey;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;

/** Reads signing keys from PEM text: a private key (PKCS#8/SEC1) or public keys. */
public final class KeyFiles {
  /** Refuse anything this large before reading it: a key PEM is a few hundred bytes. */
  static final long MAX_PEM_BYTES = 64 * 1024;

  private KeyFiles() {}

  /**
   * The public keys in a PEM: the public half of a private key, or every PUBLIC KEY block.
   *
   * @param source for messages
   */
  public static List<PublicKey> publicKeys(String pem, String source) {
    if (pem.contains("PRIVATE KEY-----")) {
      try {
        return List.of(SigningKey.fromPem(pem, source).publicKey());
      } catch (OciException e) {
        throw wrongFormat(e.getMessage());
      }
    }
    try {
      return Pem.readPublicKeys(pem, source);
    } catch (OciException e) {
      throw wrongFormat(e.getMessage());
    }
  }

  /** Reads a small text file, with errors that name the flag. */
  public static String read(String flag, Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        throw CliException.usage(flag + " " + file + ": no such file", "check the path");
      }
      if (Files.size(file) > MAX_PEM_BYTES) {
        throw CliException.usage(
            flag + " " + file + " is " + Files.size(file) + " bytes, too large for a key",
            "give the PEM file of an ECDSA P-256 key");
      }
      byte[] bytes = Files.readAllBytes(file);
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw wrongFormat(flag + " " + file + " is not text (a DER or binary file?)");
    } catch (IOException e) {
      throw CliException.usage(
          flag + " " + file + ": cannot read: " + e.getMessage(),
          "check the path and its permissions");
    }
  }

  private static CliException wrongFormat(String message) {
    return CliException.usage(
        message,
        "give a PEM ECDSA P-256 key: 'PUBLIC KEY' (cosign.pub) or unencrypted 'PRIVATE KEY'"
            + " (kapro keys generate writes both)");
  }
}
