package io.kapro.hub.ca;

import io.kapro.hub.link.LinkException;
import io.kapro.oci.sign.Csrs;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The hub's certificate authority (ECDSA P-256): issues agent client certificates carrying the
 * cluster identity, and the gateway's server certificates.
 */
public final class HubCa {
  /** Default lifetime of an agent certificate. */
  public static final Duration DEFAULT_CLIENT_LIFETIME = Duration.ofDays(30);

  static final Duration CA_LIFETIME = Duration.ofDays(3650);
  private static final Duration BACKDATE = Duration.ofMinutes(5);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final CaMaterial material;
  private final Clock clock;

  private HubCa(CaMaterial material, Clock clock) {
    this.material = material;
    this.clock = clock;
  }

  /** Loads the CA from {@code store}, creating and storing a new one when there is none. */
  public static HubCa loadOrCreate(CaStore store, Clock clock) {
    CaMaterial material = store.load().orElseGet(() -> store.saveIfAbsent(generate(clock)));
    return new HubCa(material, clock);
  }

  /** A CA over existing material. */
  public static HubCa of(CaMaterial material, Clock clock) {
    return new HubCa(material, clock);
  }

  /** A fresh self-signed CA, valid for ten years. */
  public static CaMaterial generate(Clock clock) {
    KeyPair pair = newKeyPair();
    Instant now = clock.instant();
    X500Name subject = new X500Name("O=kapro,CN=kapro hub CA");
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serial(),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(now.plus(CA_LIFETIME)),
                  subject,
                  pair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(pair.getPublic()));
      return new CaMaterial(sign(b, pair.getPrivate()), pair.getPrivate());
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new LinkException(LinkException.Reason.CA_FAILURE, "cannot create the hub CA", e);
    }
  }

  /** A new ECDSA P-256 key pair. */
  public static KeyPair newKeyPair() {
    return Csrs.newKeyPair();
  }

  public X509Certificate certificate() {
    return material.certificate();
  }

  /** The certificates agents and the gateway trust (today the one CA certificate). */
  public List<X509Certificate> trustAnchors() {
    return List.of(material.certificate());
  }

  /** A client certificate for {@code cluster}'s key from its CSR (see {@link Csr}). */
  public X509Certificate issueClient(ClusterId cluster, byte[] csrDer, Duration lifetime) {
    return issueClient(cluster, Csr.publicKey(csrDer), lifetime);
  }

  /** A client certificate: client-auth EKU, URI SAN = the cluster identity. */
  public X509Certificate issueClient(ClusterId cluster, PublicKey key, Duration lifetime) {
    GeneralNames san =
        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, cluster.uri()));
    X500Name subject = new X500Name("O=kapro,OU=" + cluster.namespace() + ",CN=" + cluster.name());
    return issue(subject, key, lifetime, san, KeyPurposeId.id_kp_clientAuth);
  }

  /** A gateway server certificate for 127.0.0.1, localhost and {@code dnsNames}. */
  public X509Certificate issueServer(PublicKey key, List<String> dnsNames, Duration lifetime) {
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    names.add(new GeneralName(GeneralName.dNSName, "localhost"));
    for (String dns : dnsNames) {
      if (dns == null || dns.isBlank() || !dns.matches("[A-Za-z0-9*.-]{1,253}")) {
        throw new LinkException(
            LinkException.Reason.CA_FAILURE,
            "server DNS name '" + dns + "' is not a host name; fix the gateway's dnsNames setting");
      }
      names.add(new GeneralName(GeneralName.dNSName, dns));
    }
    GeneralNames san = new GeneralNames(names.toArray(GeneralName[]::new));
    return issue(
        new X500Name("O=kapro,CN=kapro gateway"),
        key,
        lifetime,
        san,
        KeyPurposeId.id_kp_serverAuth);
  }

  /**
   * Checks that {@code leaf} is a client certificate this CA issued and that it is valid now;
   * returns the identity from its URI SAN.
   */
  public ClusterId verifyClient(X509Certificate leaf) {
    return ClientCertificates.verify(leaf, material.certificate(), clock.instant());
  }

  private X509Certificate issue(
      X500Name subject, PublicKey key, Duration lifetime, GeneralNames san, KeyPurposeId purpose) {
    if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
      throw new LinkException(
          LinkException.Reason.CA_FAILURE,
          "certificate lifetime must be positive, got " + lifetime);
    }
    Instant now = clock.instant();
    Instant notAfter = now.plus(lifetime);
    Instant caEnd = material.certificate().getNotAfter().toInstant();
    if (notAfter.isAfter(caEnd)) {
      notAfter = caEnd;
    }
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  material.certificate(),
                  serial(),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(notAfter),
                  subject,
                  key)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
              .addExtension(Extension.subjectAlternativeName, false, san)
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  ext.createAuthorityKeyIdentifier(material.certificate()))
              .addExtension(
                  Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
      return sign(b, material.privateKey());
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new LinkException(LinkException.Reason.CA_FAILURE, "cannot issue a certificate", e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, java.security.PrivateKey key)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** A random positive 127-bit serial (RFC 5280: at most 20 octets, positive). */
  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).setBit(0);
  }
}
