package io.kapro.cli.mirror;

import io.kapro.cli.CliException;
import io.kapro.cli.keys.KeyFiles;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code --evidence-ca} PEM files. */
final class EvidenceCa {
  private EvidenceCa() {}

  static List<X509Certificate> read(List<Path> files) {
    List<X509Certificate> out = new ArrayList<>();
    for (Path p : files) {
      String pem = KeyFiles.read("--evidence-ca", p);
      if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
        throw CliException.usage(
            "--evidence-ca " + p + " holds no PEM certificate",
            "give the hub CA certificate (the agents' hub.caFile)");
      }
      try {
        for (var c :
            CertificateFactory.getInstance("X.509")
                .generateCertificates(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
          out.add((X509Certificate) c);
        }
      } catch (CertificateException | RuntimeException e) {
        throw CliException.usage(
            "--evidence-ca " + p + " is not a PEM certificate: " + e.getMessage(),
            "give the hub CA certificate (the agents' hub.caFile)");
      }
    }
    return out;
  }
}
