package io.kapro.oci.sign;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.Digests;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** PEM reading and writing of ECDSA P-256 keys (PKCS#8 private, SubjectPublicKeyInfo public). */
public final class Pem {
  private static final JcaPEMKeyConverter CONVERTER = new JcaPEMKeyConverter();

  private Pem() {}

  /** {@code -----BEGIN PRIVATE KEY-----} (PKCS#8). */
  public static String privateKeyPem(PrivateKey key) {
    try {
      return write(new JcaPKCS8Generator(key, null).generate());
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode private key", e);
    }
  }

  /** {@code -----BEGIN PUBLIC KEY-----} (SubjectPublicKeyInfo), as cosign writes it. */
  public static String publicKeyPem(PublicKey key) {
    return write(key);
  }

  /**
   * Reads a private key from PEM: PKCS#8 ({@code PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}).
   * The public half is derived where the PEM carries it.
   */
  public static java.security.KeyPair readKeyPair(String pem, String source) {
    if (pem != null && pem.contains("-----BEGIN ENCRYPTED")) {
      throw invalid(
          source
              + ": the private key is encrypted (cosign's 'ENCRYPTED COSIGN PRIVATE KEY' or"
              + " PKCS#8 encrypted); export it unencrypted as PKCS#8, e.g."
              + " 'openssl pkcs8 -topk8 -nocrypt'");
    }
    for (Object o : objects(pem, source)) {
      try {
        if (o instanceof PEMKeyPair kp) {
          return requireP256(CONVERTER.getKeyPair(kp), source);
        }
        if (o instanceof PrivateKeyInfo info) {
          PrivateKey priv = CONVERTER.getPrivateKey(info);
          return requireP256(new java.security.KeyPair(derivePublic(priv), priv), source);
        }
      } catch (IOException | java.security.GeneralSecurityException e) {
        throw invalid(source + ": cannot decode the private key: " + e.getMessage());
      }
    }
    throw invalid(source + ": no 'PRIVATE KEY' or 'EC PRIVATE KEY' PEM block found");
  }

  /** Reads every {@code PUBLIC KEY} block (ECDSA P-256 only). */
  public static List<PublicKey> readPublicKeys(String pem, String source) {
    List<PublicKey> keys = new ArrayList<>();
    for (Object o : objects(pem, source)) {
      if (o instanceof SubjectPublicKeyInfo spki) {
        try {
          PublicKey k = CONVERTER.getPublicKey(spki);
          requireP256(k, source);
          keys.add(k);
        } catch (IOException e) {
          throw invalid(source + ": cannot decode a public key: " + e.getMessage());
        }
      }
    }
    if (keys.isEmpty()) {
      throw invalid(source + ": no 'PUBLIC KEY' PEM block found (expected an ECDSA P-256 key)");
    }
    return keys;
  }

  /** Key id: lowercase hex SHA-256 of the public key's DER (SubjectPublicKeyInfo). */
  public static String keyId(PublicKey key) {
    return HexFormat.of().formatHex(Digests.sha256Raw(key.getEncoded()));
  }

  private static List<Object> objects(String pem, String source) {
    if (pem == null || pem.isBlank()) {
      throw invalid(source + ": empty, expected PEM text");
    }
    List<Object> out = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o;
      while ((o = parser.readObject()) != null) {
        out.add(o);
      }
    } catch (IOException | RuntimeException e) {
      throw invalid(source + ": not valid PEM: " + e.getMessage());
    }
    return out;
  }

  private static PublicKey derivePublic(PrivateKey priv)
      throws java.security.GeneralSecurityException {
    if (!(priv instanceof java.security.interfaces.ECPrivateKey ec)) {
      throw invalid("the private key is " + priv.getAlgorithm() + ", expected ECDSA P-256");
    }
    org.bouncycastle.jce.spec.ECParameterSpec bc =
        org.bouncycastle.jce.ECNamedCurveTable.getParameterSpec("secp256r1");
    org.bouncycastle.math.ec.ECPoint q = bc.getG().multiply(ec.getS()).normalize();
    java.security.spec.ECPoint w =
        new java.security.spec.ECPoint(
            q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    return KeyFactory.getInstance("EC")
        .generatePublic(new java.security.spec.ECPublicKeySpec(w, ec.getParams()));
  }

  private static java.security.KeyPair requireP256(java.security.KeyPair kp, String source) {
    requireP256(kp.getPublic(), source);
    return kp;
  }

  private static void requireP256(PublicKey k, String source) {
    if (!(k instanceof ECPublicKey ec) || !isP256(ec.getParams())) {
      throw invalid(source + ": key is " + k.getAlgorithm() + " but must be ECDSA on curve P-256");
    }
  }

  private static boolean isP256(ECParameterSpec spec) {
    return spec.getCurve().getField().getFieldSize() == 256
        && spec.getOrder()
            .equals(
                new java.math.BigInteger(
                    "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16));
  }

  private static String write(Object o) {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write PEM", e);
    }
    return sw.toString();
  }

  private static OciException invalid(String message) {
    return new OciException(Reason.INVALID_INPUT, message);
  }
}
