package io.kapro.agent.kube;

import java.io.ByteArrayOutputStream;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * A kubeconfig's client key: PKCS#8 ({@code PRIVATE KEY}, through {@link io.kapro.oci.sign.Pem}) or
 * PKCS#1 RSA ({@code RSA PRIVATE KEY}, which kubeadm and kind write), wrapped into PKCS#8 for the
 * JDK. Other forms are refused with the command that converts them.
 */
final class PemKeys {
  private static final String RSA_BEGIN = "-----BEGIN RSA PRIVATE KEY-----";
  private static final String RSA_END = "-----END RSA PRIVATE KEY-----";

  // AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };

  private PemKeys() {}

  static PrivateKey privateKey(String pem, String what) {
    int begin = pem.indexOf(RSA_BEGIN);
    if (begin >= 0) {
      int end = pem.indexOf(RSA_END, begin);
      if (end < 0) {
        throw new KubeException(0, what + ": RSA PRIVATE KEY block without its END line");
      }
      try {
        byte[] pkcs1 =
            Base64.getMimeDecoder().decode(pem.substring(begin + RSA_BEGIN.length(), end).strip());
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8(pkcs1)));
      } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
        throw new KubeException(0, what + ": not a valid RSA PRIVATE KEY: " + e.getMessage(), e);
      }
    }
    if (pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
      throw new KubeException(
          0,
          what
              + ": an 'EC PRIVATE KEY' (SEC1) block; convert it to PKCS#8 with `openssl pkcs8"
              + " -topk8 -nocrypt -in key.pem`");
    }
    try {
      return io.kapro.oci.sign.Pem.readPrivateKey(pem, what);
    } catch (RuntimeException e) {
      throw new KubeException(0, e.getMessage(), e);
    }
  }

  /** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING pkcs1 }. */
  private static byte[] pkcs8(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(RSA_ALGORITHM);
    body.write(0x04);
    body.writeBytes(length(pkcs1.length));
    body.writeBytes(pkcs1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    out.writeBytes(length(body.size()));
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static byte[] length(int n) {
    if (n < 0x80) {
      return new byte[] {(byte) n};
    }
    if (n < 0x100) {
      return new byte[] {(byte) 0x81, (byte) n};
    }
    if (n < 0x10000) {
      return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
    }
    return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
  }
}
