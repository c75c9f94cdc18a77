package io.kapro.cli.certs;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterStatus;
import io.kapro.cli.CliException;
import io.kapro.cli.Flags;
import io.kapro.cli.kube.KubeOptions;
import io.kapro.cli.kube.KubeSession;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kapro certs revoke <cluster>}: appends a certificate serial (hex, as the hub writes {@code
 * status.certificate.serial}; default: that current certificate) to the Cluster's {@code
 * status.revokedSerials}. The write carries the resourceVersion it read, so a concurrent change is
 * a conflict that is read again and retried, never a list replaced by an older copy.
 */
@Command(
    name = "revoke",
    description = {
      "Revoke an agent certificate of a cluster (its current one unless --serial).",
      "Serials are hexadecimal, as in status.certificate.serial; the list is appended to safely."
    })
public final class RevokeCommand implements Callable<Integer> {
  private static final int ATTEMPTS = 5;

  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;

  @Parameters(
      index = "0",
      paramLabel = "CLUSTER",
      description = "Cluster name (-n: its namespace).")
  String cluster;

  @Option(
      names = "--serial",
      paramLabel = "HEX",
      description = "Serial number in hexadecimal (default: status.certificate.serial).")
  String serial;

  /** A serial in the one format Kapro uses: lower-case hexadecimal, no prefix or separators. */
  public static String normalize(String hex) {
    String s = hex == null ? "" : hex.trim().replaceFirst("^0[xX]", "").replace(":", "");
    if (s.isEmpty() || !s.matches("[0-9a-fA-F]{1,40}")) {
      throw CliException.usage(
          "--serial '" + hex + "' is not a hexadecimal serial number",
          "copy it from kubectl get cluster <name> -o jsonpath='{.status.certificate.serial}'");
    }
    return new BigInteger(s, 16).toString(16);
  }

  @Override
  public Integer call() {
    Flags.name("CLUSTER", cluster);
    try (KubeSession session = kube.open()) {
      for (int attempt = 1; ; attempt++) {
        Cluster c = session.require(Cluster.class, cluster);
        ClusterStatus s = c.getStatus() == null ? new ClusterStatus() : c.getStatus();
        String target;
        if (serial != null) {
          target = normalize(serial);
        } else if (s.getCertificate() != null && s.getCertificate().getSerial() != null) {
          target = normalize(s.getCertificate().getSerial());
        } else {
          throw CliException.usage(
              "cluster " + cluster + " shows no current certificate (status.certificate.serial)",
              "give the serial with --serial HEX");
        }
        List<String> revoked =
            s.getRevokedSerials() == null
                ? new ArrayList<>()
                : new ArrayList<>(s.getRevokedSerials());
        if (revoked.stream().anyMatch(r -> sameSerial(r, target))) {
          spec.commandLine()
              .getOut()
              .println("certificate " + target + " of " + cluster + " is already revoked");
          return 0;
        }
        revoked.add(target);
        s.setRevokedSerials(revoked);
        c.setStatus(s);
        try {
          session.client().resource(c).updateStatus(); // carries c's resourceVersion
          spec.commandLine()
              .getOut()
              .printf(
                  "revoked certificate %s of cluster %s/%s; the gateway refuses it on the next"
                      + " stream and closes open ones; enroll again with kapro certs"
                      + " bootstrap-token%n",
                  target, c.getMetadata().getNamespace(), cluster);
          return 0;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409 || attempt >= ATTEMPTS) {
            throw e;
          }
        }
      }
    }
  }

  private static boolean sameSerial(String listed, String hex) {
    try {
      return new BigInteger(listed.trim().replaceFirst("^0[xX]", "").replace(":", ""), 16)
          .equals(new BigInteger(hex, 16));
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
