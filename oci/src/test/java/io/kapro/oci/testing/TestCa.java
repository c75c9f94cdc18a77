package io.kapro.oci.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway certificate authority (ECDSA P-256, BouncyCastle) for loopback TLS in tests. */
public final class TestCa {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  private final KeyPair key;
  private final X509Certificate certificate;

  private TestCa(KeyPair key, X509Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
  }

  /** A new self-signed CA named {@code cn}, valid for a day. */
  public static TestCa create(String cn) {
    KeyPair kp = newKey();
    X500Name name = new X500Name("CN=" + cn);
    try {
      X509v3CertificateBuilder b = builder(name, name, kp);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new TestCa(kp, sign(b, kp));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The CA's private key (used by {@link TokenServer} to sign tokens). */
  java.security.PrivateKey privateKey() {
    return key.getPrivate();
  }

  /** A server certificate for 127.0.0.1 and localhost, signed by this CA. */
  public Issued issueServer(String cn) {
    KeyPair kp = newKey();
    try {
      X509v3CertificateBuilder b =
          builder(
              new X500Name(certificate.getSubjectX500Principal().getName()),
              new X500Name("CN=" + cn),
              kp);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(
                    GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress()),
                new GeneralName(GeneralName.dNSName, "localhost")
              }));
      return new Issued(kp, sign(b, key));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * An agent client certificate for cluster {@code namespace/name} (URI SAN {@code
   * spiffe://kapro/ns/<namespace>/cluster/<name>}), as the hub CA issues at enrollment.
   */
  public Issued issueAgent(String namespace, String name) {
    return issueAgent(namespace, name, true);
  }

  /** As {@link #issueAgent(String, String)}; {@code clientAuth} false leaves out that usage. */
  public Issued issueAgent(String namespace, String name, boolean clientAuth) {
    KeyPair kp = newKey();
    try {
      X509v3CertificateBuilder b =
          builder(
              new X500Name(certificate.getSubjectX500Principal().getName()),
              new X500Name("O=kapro,OU=" + namespace + ",CN=" + name),
              kp);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(
          Extension.extendedKeyUsage,
          false,
          new org.bouncycastle.asn1.x509.ExtendedKeyUsage(
              clientAuth
                  ? org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth
                  : org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_serverAuth));
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName(
                  GeneralName.uniformResourceIdentifier,
                  "spiffe://kapro/ns/" + namespace + "/cluster/" + name)));
      return new Issued(kp, sign(b, key));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the CA certificate as PEM. */
  public Path writeCertificate(Path file) throws IOException {
    Files.writeString(file, pem(certificate));
    return file;
  }

  /** A key and certificate issued by the CA. */
  public record Issued(KeyPair key, X509Certificate certificate) {
    /** Writes {@code cert} (leaf, PEM) and {@code key} (PKCS#8 PEM). */
    public void write(Path cert, Path keyFile) throws IOException {
      Files.writeString(cert, pem(certificate));
      try {
        Files.writeString(keyFile, pem(new JcaPKCS8Generator(key.getPrivate(), null).generate()));
      } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
        throw new IOException(e);
      }
    }
  }

  static String pem(Object o) throws IOException {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(o);
    }
    return sw.toString();
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair kp) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))),
        subject,
        kp.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair newKey() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
