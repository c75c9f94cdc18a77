package io.kapro.oci.sign;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.sign.Der.DerException;
import io.kapro.oci.sign.Der.Tlv;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.KeyAgreement;

/**
 * The one PEM codec of Kapro: ECDSA P-256 signing keys (PKCS#8 private, SubjectPublicKeyInfo
 * public, as cosign writes them), and the TLS material of the hub CA and the agents (X.509
 * certificates and PKCS#8 private keys, what gRPC's TLS wants). On the JDK alone (issue 22: no
 * BouncyCastle on the agent): RFC 7468 framing with strict Base64, the JDK's {@link KeyFactory} and
 * {@link CertificateFactory}, and SEC1 {@code EC PRIVATE KEY} blocks wrapped in a PKCS#8
 * PrivateKeyInfo. Input is bounded ({@link #MAX_CHARS}, {@link #MAX_BLOCKS}) before it is parsed.
 * Errors are {@link OciException}s with reason INVALID_INPUT whose message names the source.
 */
public final class Pem {
  /** Longest PEM text read (a key is ~250 characters, a CA bundle of 150 certificates ~250 KiB). */
  public static final int MAX_CHARS = 1024 * 1024;

  /** Most PEM blocks read from one text. */
  public static final int MAX_BLOCKS = 512;

  private static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";
  private static final String P256 = "1.2.840.10045.3.1.7";
  private static final BigInteger P256_ORDER =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

  /** Key algorithms by the OID of their AlgorithmIdentifier, as the JDK's KeyFactory names them. */
  private static final Map<String, String> KEY_ALGORITHMS =
      Map.of(
          EC_PUBLIC_KEY,
          "EC",
          "1.2.840.113549.1.1.1",
          "RSA",
          "1.2.840.113549.1.1.10",
          "RSASSA-PSS",
          "1.2.840.10040.4.1",
          "DSA",
          "1.3.101.110",
          "X25519",
          "1.3.101.111",
          "X448",
          "1.3.101.112",
          "Ed25519",
          "1.3.101.113",
          "Ed448");

  private static final String ENCRYPTED =
      ": the private key is encrypted (cosign's 'ENCRYPTED COSIGN PRIVATE KEY' or"
          + " PKCS#8 encrypted); export it unencrypted as PKCS#8, e.g."
          + " 'openssl pkcs8 -topk8 -nocrypt'";

  private Pem() {}

  /** One PEM block: its label, its decoded contents, and whether it carried RFC 1421 headers. */
  private record Block(String label, byte[] der, boolean headers) {}

  /** {@code -----BEGIN PRIVATE KEY-----} (PKCS#8). */
  public static String privateKeyPem(PrivateKey key) {
    if (!"PKCS#8".equals(key.getFormat()) || key.getEncoded() == null) {
      throw new IllegalStateException(
          "cannot encode private key: its encoding is " + key.getFormat() + ", not PKCS#8");
    }
    return write("PRIVATE KEY", key.getEncoded());
  }

  /** {@code -----BEGIN PUBLIC KEY-----} (SubjectPublicKeyInfo), as cosign writes it. */
  public static String publicKeyPem(PublicKey key) {
    if (!"X.509".equals(key.getFormat()) || key.getEncoded() == null) {
      throw new IllegalStateException(
          "cannot encode public key: its encoding is " + key.getFormat() + ", not X.509");
    }
    return write("PUBLIC KEY", key.getEncoded());
  }

  /**
   * Reads a private key from PEM: PKCS#8 ({@code PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}).
   * The public half is derived from the private key (and must match the one a SEC1 block carries).
   */
  public static KeyPair readKeyPair(String pem, String source) {
    if (pem != null && pem.contains("-----BEGIN ENCRYPTED")) {
      throw invalid(source + ENCRYPTED);
    }
    for (Block b : blocks(pem, source, false)) {
      if (b.label().equals("EC PRIVATE KEY") || b.label().equals("PRIVATE KEY")) {
        if (b.headers()) {
          throw invalid(source + ENCRYPTED);
        }
        boolean sec1 = b.label().equals("EC PRIVATE KEY");
        byte[] pkcs8 = sec1 ? sec1ToPkcs8(b.der(), source) : b.der();
        PrivateKey priv = pkcs8(pkcs8, source, "the private key");
        ECParameterSpec params = requireP256(priv, source);
        PublicKey pub;
        try {
          pub = derivePublic((ECPrivateKey) priv, params);
        } catch (GeneralSecurityException e) {
          throw invalid(source + ": cannot decode the private key: " + e.getMessage());
        }
        if (sec1) {
          requireCarriedPublicMatches(b.der(), (ECPublicKey) pub, source);
        }
        return new KeyPair(pub, priv);
      }
    }
    throw invalid(source + ": no 'PRIVATE KEY' or 'EC PRIVATE KEY' PEM block found");
  }

  /** Reads every {@code PUBLIC KEY} block (ECDSA P-256 only). */
  public static List<PublicKey> readPublicKeys(String pem, String source) {
    List<PublicKey> keys = new ArrayList<>();
    for (Block b : blocks(pem, source, false)) {
      if (b.label().equals("PUBLIC KEY")) {
        PublicKey k = publicKey(b.der(), source);
        requireP256(k, source);
        keys.add(k);
      }
    }
    if (keys.isEmpty()) {
      throw invalid(source + ": no 'PUBLIC KEY' PEM block found (expected an ECDSA P-256 key)");
    }
    return keys;
  }

  /** Certificates, one {@code CERTIFICATE} block each, in order. */
  public static String certificates(List<X509Certificate> certificates) {
    StringBuilder out = new StringBuilder();
    for (X509Certificate c : certificates) {
      try {
        out.append(write("CERTIFICATE", c.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException("cannot encode a certificate", e);
      }
    }
    return out.toString();
  }

  /** A private key ({@code PRIVATE KEY}, PKCS#8) followed by certificates; the key may be null. */
  public static String keyAndCertificates(PrivateKey key, List<X509Certificate> certificates) {
    return (key == null ? "" : privateKeyPem(key)) + certificates(certificates);
  }

  /** What a PEM text of TLS material holds: at most one private key, and certificates in order. */
  public record TlsMaterial(PrivateKey key, List<X509Certificate> certificates) {}

  /**
   * Reads TLS material: at most one unencrypted PKCS#8 {@code PRIVATE KEY} and any number of {@code
   * CERTIFICATE} blocks; any other block is refused. Empty text holds nothing.
   */
  public static TlsMaterial readTls(String pem, String source) {
    PrivateKey key = null;
    List<X509Certificate> certs = new ArrayList<>();
    for (Block b : blocks(pem, source, true)) {
      if (b.label().equals("PRIVATE KEY") && key == null && !b.headers()) {
        key = pkcs8(b.der(), source, "the private key");
      } else if (b.label().equals("CERTIFICATE") || b.label().equals("X509 CERTIFICATE")) {
        certs.add(certificateBlock(b.der(), source, certs.size() + 1));
      } else {
        throw invalid(
            source
                + ": unexpected PEM block '"
                + b.label()
                + "'"
                + (b.label().equals("PRIVATE KEY") ? " (a second key, or one with headers)" : "")
                + "; expected one unencrypted PKCS#8 'PRIVATE KEY' and 'CERTIFICATE' blocks");
      }
    }
    return new TlsMaterial(key, List.copyOf(certs));
  }

  /** Every certificate of a text that holds only (one or more) {@code CERTIFICATE} blocks. */
  public static List<X509Certificate> readCertificates(String pem, String source) {
    TlsMaterial m = readTls(pem, source);
    if (m.key() != null) {
      throw invalid(source + ": expected only CERTIFICATE PEM blocks, found a private key");
    }
    if (m.certificates().isEmpty()) {
      throw invalid(source + ": no CERTIFICATE PEM block found");
    }
    return m.certificates();
  }

  /** The one private key of a text that holds a single PKCS#8 {@code PRIVATE KEY} block. */
  public static PrivateKey readPrivateKey(String pem, String source) {
    TlsMaterial m = readTls(pem, source);
    if (m.key() == null || !m.certificates().isEmpty()) {
      throw invalid(source + ": expected one unencrypted PKCS#8 'PRIVATE KEY' PEM block");
    }
    return m.key();
  }

  /** A DER-encoded X.509 certificate (as a CSR answer or a TLS peer carries it). */
  public static X509Certificate certificate(byte[] der, String source) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | ClassCastException e) {
      throw invalid(source + ": not a DER X.509 certificate: " + e.getMessage());
    }
  }

  /** Key id: lowercase hex SHA-256 of the public key's DER (SubjectPublicKeyInfo). */
  public static String keyId(PublicKey key) {
    return HexFormat.of().formatHex(Digests.sha256Raw(key.getEncoded()));
  }

  // --- framing (RFC 7468) ---

  private static List<Block> blocks(String pem, String source, boolean emptyAllowed) {
    if (pem == null || pem.isBlank()) {
      if (emptyAllowed) {
        return List.of();
      }
      throw invalid(source + ": empty, expected PEM text");
    }
    if (pem.length() > MAX_CHARS) {
      throw invalid(
          source
              + ": PEM text of "
              + pem.length()
              + " characters; the limit is "
              + MAX_CHARS
              + ", give only the keys and certificates needed");
    }
    int begins = 0;
    for (int i = pem.indexOf("-----BEGIN"); i >= 0; i = pem.indexOf("-----BEGIN", i + 1)) {
      if (++begins > MAX_BLOCKS) {
        throw invalid(
            source
                + ": more than "
                + MAX_BLOCKS
                + " PEM blocks; give only the keys and certificates needed");
      }
    }
    List<Block> out = new ArrayList<>();
    String[] lines = pem.split("\n", -1);
    String label = null;
    boolean headers = false;
    boolean inHeaders = false;
    StringBuilder body = new StringBuilder();
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n].strip();
      if (label == null) {
        if (line.startsWith("-----BEGIN")) {
          label = label(line, "-----BEGIN ", source, n);
          headers = false;
          inHeaders = true;
          body.setLength(0);
        } else if (line.startsWith("-----END")) {
          throw notPem(source, "line " + (n + 1) + ": END line without a BEGIN line");
        }
        // text outside blocks (comments, openssl's -text output) is ignored, as RFC 7468 allows
        continue;
      }
      if (line.startsWith("-----END")) {
        String end = label(line, "-----END ", source, n);
        if (!end.equals(label)) {
          throw notPem(
              source, "line " + (n + 1) + ": 'BEGIN " + label + "' is closed by 'END " + end + "'");
        }
        out.add(new Block(label, decode(body, label, source), headers));
        label = null;
      } else if (line.startsWith("-----")) {
        throw notPem(source, "line " + (n + 1) + ": 'BEGIN " + label + "' has no END line");
      } else if (inHeaders && line.indexOf(':') > 0) {
        headers = true; // RFC 1421 headers (Proc-Type, DEK-Info): an encrypted legacy key
      } else {
        inHeaders = false;
        body.append(line);
      }
    }
    if (label != null) {
      throw notPem(source, "'BEGIN " + label + "' has no END line");
    }
    return out;
  }

  private static String label(String line, String prefix, String source, int n) {
    if (!line.startsWith(prefix)
        || !line.endsWith("-----")
        || line.length() < prefix.length() + 6) {
      throw notPem(source, "line " + (n + 1) + ": malformed PEM boundary '" + clip(line) + "'");
    }
    String label = line.substring(prefix.length(), line.length() - 5);
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '-' && (i == 0 || i == label.length() - 1)) {
        throw notPem(source, "line " + (n + 1) + ": malformed PEM label '" + clip(label) + "'");
      }
    }
    return label;
  }

  private static byte[] decode(StringBuilder body, String label, String source) {
    if (body.isEmpty()) {
      throw notPem(source, "the '" + label + "' block is empty");
    }
    if (body.length() % 4 != 0) {
      // the JDK's decoder accepts a missing final padding; RFC 7468's strict form does not
      throw notPem(
          source,
          "the '"
              + label
              + "' block is not Base64: "
              + body.length()
              + " characters, not a"
              + " multiple of 4");
    }
    try {
      return Base64.getDecoder().decode(body.toString());
    } catch (IllegalArgumentException e) {
      throw notPem(source, "the '" + label + "' block is not Base64: " + e.getMessage());
    }
  }

  private static String write(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  // --- keys and certificates ---

  /** A PKCS#8 PrivateKeyInfo, through the JDK's KeyFactory for the algorithm it names. */
  private static PrivateKey pkcs8(byte[] der, String source, String what) {
    try {
      List<Tlv> info = Der.parse(der).expect(Der.SEQUENCE).children();
      if (info.size() < 3) {
        throw new DerException("a PrivateKeyInfo has at least three elements");
      }
      String oid = info.get(1).expect(Der.SEQUENCE).children().get(0).oid();
      return KeyFactory.getInstance(keyAlgorithm(oid))
          .generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (DerException | GeneralSecurityException | IndexOutOfBoundsException e) {
      throw invalid(source + ": cannot decode " + what + ": " + e.getMessage());
    }
  }

  private static PublicKey publicKey(byte[] der, String source) {
    try {
      List<Tlv> spki = Der.parse(der).expect(Der.SEQUENCE).children();
      if (spki.size() != 2) {
        throw new DerException("a SubjectPublicKeyInfo has two elements");
      }
      String oid = spki.get(0).expect(Der.SEQUENCE).children().get(0).oid();
      return KeyFactory.getInstance(keyAlgorithm(oid)).generatePublic(new X509EncodedKeySpec(der));
    } catch (DerException | GeneralSecurityException | IndexOutOfBoundsException e) {
      throw invalid(source + ": cannot decode a public key: " + e.getMessage());
    }
  }

  private static String keyAlgorithm(String oid) throws DerException {
    String name = KEY_ALGORITHMS.get(oid);
    if (name == null) {
      throw new DerException("unsupported key algorithm (OID " + oid + ")");
    }
    return name;
  }

  private static X509Certificate certificateBlock(byte[] der, String source, int index) {
    try {
      Der.parse(der); // exactly one DER element: nothing hidden after the certificate
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (DerException | CertificateException | ClassCastException e) {
      throw invalid(source + ": cannot decode certificate " + index + ": " + e.getMessage());
    }
  }

  /**
   * SEC1 ECPrivateKey (RFC 5915: version 1, the private scalar, [0] the named curve, [1] the public
   * point) as a PKCS#8 PrivateKeyInfo (RFC 5208) naming id-ecPublicKey and that curve.
   */
  private static byte[] sec1ToPkcs8(byte[] der, String source) {
    try {
      List<Tlv> key = Der.parse(der).expect(Der.SEQUENCE).children();
      if (key.size() < 2 || !key.get(0).integer().equals(BigInteger.ONE)) {
        throw new DerException("not a version 1 SEC1 ECPrivateKey");
      }
      byte[] scalar = key.get(1).expect(Der.OCTET_STRING).contents();
      String curve = null;
      for (Tlv t : key.subList(2, key.size())) {
        if (t.tag() == 0xa0) {
          Tlv p = t.children().get(0);
          if (p.tag() != Der.OID) {
            throw new DerException(
                "explicit curve parameters; re-export with a named curve, e.g."
                    + " 'openssl ec -param_enc named_curve'");
          }
          curve = p.oid();
        }
      }
      if (curve == null) {
        throw new DerException("the key names no curve");
      }
      return Der.sequence(
          Der.integer(BigInteger.ZERO),
          Der.sequence(Der.oid(EC_PUBLIC_KEY), Der.oid(curve)),
          Der.octetString(Der.sequence(Der.integer(BigInteger.ONE), Der.octetString(scalar))));
    } catch (DerException | IndexOutOfBoundsException e) {
      throw invalid(source + ": cannot decode the private key: " + e.getMessage());
    }
  }

  /** When a SEC1 key carries its public point, it must be the one derived from the private key. */
  private static void requireCarriedPublicMatches(byte[] sec1, ECPublicKey derived, String source) {
    try {
      for (Tlv t : Der.parse(sec1).children()) {
        if (t.tag() == 0xa1) {
          byte[] point = t.children().get(0).bitStringBytes();
          int size = (derived.getParams().getCurve().getField().getFieldSize() + 7) / 8;
          byte[] expected = new byte[1 + 2 * size];
          expected[0] = 4;
          fixed(derived.getW().getAffineX(), expected, 1, size);
          fixed(derived.getW().getAffineY(), expected, 1 + size, size);
          if (point.length > 0 && point[0] == 4 && !Arrays.equals(point, expected)) {
            throw invalid(
                source
                    + ": the public key in the 'EC PRIVATE KEY' block does not belong to its"
                    + " private key; export the key again");
          }
        }
      }
    } catch (DerException | IndexOutOfBoundsException e) {
      throw invalid(source + ": cannot decode the private key: " + e.getMessage());
    }
  }

  private static void fixed(BigInteger v, byte[] out, int offset, int size) {
    byte[] b = v.toByteArray();
    int n = Math.min(b.length, size);
    System.arraycopy(b, b.length - n, out, offset + size - n, n);
  }

  /**
   * The public key of {@code priv} with the JDK's own constant-time arithmetic: ECDH of the private
   * key with the curve's generator is the x coordinate of the public point; of the two points with
   * that x, the one whose key verifies a signature made with {@code priv} is the public key.
   */
  private static PublicKey derivePublic(ECPrivateKey priv, ECParameterSpec params)
      throws GeneralSecurityException {
    KeyFactory ec = KeyFactory.getInstance("EC");
    KeyAgreement ka = KeyAgreement.getInstance("ECDH");
    ka.init(priv);
    ka.doPhase(ec.generatePublic(new ECPublicKeySpec(params.getGenerator(), params)), true);
    BigInteger x = new BigInteger(1, ka.generateSecret());
    BigInteger p = ((ECFieldFp) params.getCurve().getField()).getP();
    BigInteger rhs =
        x.pow(3).add(params.getCurve().getA().multiply(x)).add(params.getCurve().getB()).mod(p);
    BigInteger y = rhs.modPow(p.add(BigInteger.ONE).shiftRight(2), p); // p = 3 mod 4 for P-256
    if (!y.multiply(y).mod(p).equals(rhs)) {
      throw new GeneralSecurityException("the private key gives no point on the curve");
    }
    byte[] probe = "kapro-public-key".getBytes(StandardCharsets.US_ASCII);
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(priv);
    s.update(probe);
    byte[] sig = s.sign();
    for (BigInteger candidate : List.of(y, p.subtract(y))) {
      PublicKey pub = ec.generatePublic(new ECPublicKeySpec(new ECPoint(x, candidate), params));
      Signature v = Signature.getInstance("SHA256withECDSA");
      v.initVerify(pub);
      v.update(probe);
      if (v.verify(sig)) {
        return pub;
      }
    }
    throw new GeneralSecurityException("no public key verifies the private key's signature");
  }

  private static ECParameterSpec requireP256(PrivateKey k, String source) {
    if (!(k instanceof ECPrivateKey ec) || !isP256(ec.getParams())) {
      throw invalid(source + ": key is " + k.getAlgorithm() + " but must be ECDSA on curve P-256");
    }
    return ec.getParams();
  }

  private static void requireP256(PublicKey k, String source) {
    if (!(k instanceof ECPublicKey ec) || !isP256(ec.getParams())) {
      throw invalid(source + ": key is " + k.getAlgorithm() + " but must be ECDSA on curve P-256");
    }
  }

  private static boolean isP256(ECParameterSpec spec) {
    return spec.getCurve().getField().getFieldSize() == 256 && spec.getOrder().equals(P256_ORDER);
  }

  private static String clip(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }

  private static OciException notPem(String source, String detail) {
    return invalid(source + ": not valid PEM: " + detail);
  }

  private static OciException invalid(String message) {
    return new OciException(Reason.INVALID_INPUT, message);
  }
}
