package io.kapro.agent.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A throwaway certificate authority (ECDSA P-256, BouncyCastle) for loopback TLS in tests: it
 * stands in for the hub CA on the agent's side of the wire ({@link #client}, {@link #server}) and
 * issues the registry's and gateway's server certificates ({@link #issueServer}) and agent client
 * certificates ({@link #issueAgent}).
 */
public final class TestCa {
  private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());

  /** The CA's key pair. */
  public final KeyPair keys;

  /** The CA's self-signed certificate. */
  public final X509Certificate certificate;

  /** A CA named "test hub CA", valid from a day ago for a year. */
  public TestCa() {
    this("test hub CA", Duration.ofDays(1), Duration.ofDays(365));
  }

  private TestCa(String cn, Duration before, Duration after) {
    keys = ec();
    X500Name name = new X500Name("CN=" + cn);
    Instant now = Instant.now();
    certificate =
        sign(
            builder(name, now.minus(before), now.plus(after), name, keys.getPublic()),
            keys,
            new Ext(Extension.basicConstraints, true, new BasicConstraints(0)),
            new Ext(
                Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)));
  }

  /** A new self-signed CA named {@code cn}, valid from an hour ago for a day. */
  public static TestCa create(String cn) {
    return new TestCa(cn, Duration.ofHours(1), Duration.ofDays(1));
  }

  /** A new P-256 key pair. */
  public static KeyPair ec() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The CA certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The CA's private key (the registry's {@code TokenServer} signs tokens with it). */
  public PrivateKey privateKey() {
    return keys.getPrivate();
  }

  /**
   * A gateway certificate ({@code CN=gateway}, serverAuth) for {@code key}, 127.0.0.1 and
   * localhost.
   */
  public X509Certificate server(PublicKey key) {
    Instant now = Instant.now();
    return sign(
        builder(
            issuer(),
            now.minus(Duration.ofMinutes(5)),
            now.plus(Duration.ofDays(1)),
            "gateway",
            key),
        keys,
        loopbackNames(),
        new Ext(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth)));
  }

  /** Signs the CSR's key for {@code identity}, valid from the clock's now for {@code lifetime}. */
  public X509Certificate client(byte[] csrDer, String identity, Clock clock, Duration lifetime)
      throws GeneralSecurityException, IOException {
    PublicKey key = new JcaPKCS10CertificationRequest(csrDer).getPublicKey();
    Instant from = clock.instant();
    return sign(
        builder(issuer(), from, from.plus(lifetime), "agent", key),
        keys,
        new Ext(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, identity))),
        new Ext(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth)));
  }

  /** A server certificate named {@code cn} for 127.0.0.1 and localhost, with its new key. */
  public Issued issueServer(String cn) {
    KeyPair kp = ec();
    Instant now = Instant.now();
    return new Issued(
        kp,
        sign(
            builder(
                issuer(),
                now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(1)),
                cn,
                kp.getPublic()),
            keys,
            new Ext(Extension.basicConstraints, true, new BasicConstraints(false)),
            loopbackNames()));
  }

  /**
   * An agent client certificate for cluster {@code namespace/name} (URI SAN {@code
   * spiffe://kapro/ns/<namespace>/cluster/<name>}), as the hub CA issues at enrollment.
   */
  public Issued issueAgent(String namespace, String name) {
    KeyPair kp = ec();
    Instant now = Instant.now();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            issuer(),
            BigInteger.valueOf(SERIALS.incrementAndGet()),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(1))),
            new X500Name("O=kapro,OU=" + namespace + ",CN=" + name),
            kp.getPublic());
    return new Issued(
        kp,
        sign(
            b,
            keys,
            new Ext(Extension.basicConstraints, true, new BasicConstraints(false)),
            new Ext(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature)),
            new Ext(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(
                    new GeneralName(
                        GeneralName.uniformResourceIdentifier,
                        "spiffe://kapro/ns/" + namespace + "/cluster/" + name)))));
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
      Files.writeString(keyFile, pem(new JcaPKCS8Generator(key.getPrivate(), null).generate()));
    }
  }

  /** PEM text of a certificate, key or other object BouncyCastle can write. */
  public static String pem(Object o) throws IOException {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(o);
    }
    return sw.toString();
  }

  private X500Name issuer() {
    return new X500Name(certificate.getSubjectX500Principal().getName());
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, Instant from, Instant to, String cn, PublicKey key) {
    return builder(issuer, from, to, new X500Name("CN=" + cn), key);
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, Instant from, Instant to, X500Name subject, PublicKey key) {
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIALS.incrementAndGet()),
        Date.from(from),
        Date.from(to),
        subject,
        key);
  }

  private static Ext loopbackNames() {
    return new Ext(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(
                  GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress()),
              new GeneralName(GeneralName.dNSName, "localhost")
            }));
  }

  private record Ext(
      org.bouncycastle.asn1.ASN1ObjectIdentifier oid,
      boolean critical,
      org.bouncycastle.asn1.ASN1Encodable value) {}

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer, Ext... exts) {
    try {
      for (Ext e : exts) {
        b.addExtension(e.oid(), e.critical(), e.value());
      }
      return new JcaX509CertificateConverter()
          .getCertificate(
              b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
