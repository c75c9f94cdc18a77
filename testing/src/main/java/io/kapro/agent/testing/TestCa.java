package io.kapro.agent.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
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
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/** A CA made in the test, standing in for the hub CA on the agent's side of the wire. */
public final class TestCa {
  private static final AtomicLong SERIALS = new AtomicLong(1000);
  public final KeyPair keys = ec();
  public final X509Certificate certificate;

  public TestCa() throws Exception {
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=test hub CA");
    certificate =
        sign(
            new JcaX509v3CertificateBuilder(
                    name,
                    BigInteger.valueOf(SERIALS.incrementAndGet()),
                    Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(365))),
                    name,
                    keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0)));
  }

  public static KeyPair ec() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public X509Certificate server(PublicKey key) throws Exception {
    Instant now = Instant.now();
    return sign(
        new JcaX509v3CertificateBuilder(
                certificate,
                BigInteger.valueOf(SERIALS.incrementAndGet()),
                Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(Duration.ofDays(1))),
                new X500Name("CN=gateway"),
                key)
            .addExtension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(
                    new GeneralName[] {
                      new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                      new GeneralName(GeneralName.dNSName, "localhost")
                    }))
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth)));
  }

  /** Signs the CSR's key for {@code identity}, valid from the clock's now for {@code lifetime}. */
  public X509Certificate client(byte[] csrDer, String identity, Clock clock, Duration lifetime)
      throws Exception {
    PublicKey key = new JcaPKCS10CertificationRequest(csrDer).getPublicKey();
    Instant from = clock.instant();
    return sign(
        new JcaX509v3CertificateBuilder(
                certificate,
                BigInteger.valueOf(SERIALS.incrementAndGet()),
                Date.from(from),
                Date.from(from.plus(lifetime)),
                new X500Name("CN=agent"),
                key)
            .addExtension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, identity)))
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth)));
  }

  private X509Certificate sign(X509v3CertificateBuilder b) throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
  }
}
