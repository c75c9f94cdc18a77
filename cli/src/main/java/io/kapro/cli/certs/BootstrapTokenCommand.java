package io.kapro.cli.certs;

import io.kapro.api.enrollment.BootstrapTokenFormat;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Enrollment;
import io.kapro.cli.CliException;
import io.kapro.cli.Flags;
import io.kapro.cli.Output;
import io.kapro.cli.kube.KubeOptions;
import io.kapro.cli.kube.KubeSession;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kapro certs bootstrap-token <cluster>}: a single-use enrollment token for one cluster's
 * agent, stored hashed in a Secret in the hub's namespace ({@link BootstrapTokenFormat}), printed
 * once with the {@code helm install} line for that agent.
 */
@Command(
    name = "bootstrap-token",
    description = {
      "Issue a single-use enrollment token for a cluster's agent.",
      "Printed with the helm install line; the hub keeps only its hash, so it is shown once."
    })
public final class BootstrapTokenCommand implements Callable<Integer> {
  /**
   * The values file the printed helm line names for the settings the token does not carry (the
   * agent chart's hub.ca, bundleSource, trustedKeys, allow).
   */
  public static final String VALUES_FILE = "agent-values.yaml";

  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;

  @Parameters(
      index = "0",
      paramLabel = "CLUSTER",
      description = "Cluster name (-n: its namespace).")
  String cluster;

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      defaultValue = "1h",
      description = "How long the token is valid (at most 168h; default ${DEFAULT-VALUE}).")
  String ttl;

  @Option(
      names = "--hub-namespace",
      paramLabel = "NAMESPACE",
      defaultValue = "kapro-system",
      description = "Namespace the hub runs in, where tokens are kept (default ${DEFAULT-VALUE}).")
  String hubNamespace;

  @Option(
      names = "--hub-address",
      paramLabel = "HOST:PORT",
      defaultValue = "<hub-gateway-address>:443",
      description = "Address of the hub's agent gateway, for the helm line.")
  String hubAddress;

  @Option(
      names = "--chart",
      paramLabel = "CHART",
      defaultValue = "oci://<registry>/charts/kapro-agent",
      description = "The agent chart, for the helm line (default ${DEFAULT-VALUE}).")
  String chart;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "json or yaml.")
  Output.Format format;

  @Override
  public Integer call() {
    Flags.name("CLUSTER", cluster);
    Flags.name("--hub-namespace", hubNamespace);
    Duration validFor = Flags.duration("--ttl", ttl);
    if (!BootstrapTokenFormat.validTtl(validFor)) {
      throw CliException.usage(
          "--ttl " + ttl + " is longer than 7 days", "give at most --ttl 168h; shorter is safer");
    }
    if (hubAddress.isBlank() || hubAddress.chars().anyMatch(Character::isWhitespace)) {
      throw CliException.usage(
          "--hub-address '" + hubAddress + "' is not an address", "e.g. hub.example.com:443");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (KubeSession session = kube.open()) {
      Cluster c = session.require(Cluster.class, cluster);
      if (c.getStatus() != null && c.getStatus().getEnrollment() == Enrollment.Revoked) {
        spec.commandLine()
            .getErr()
            .println(
                "warning: cluster "
                    + cluster
                    + " was revoked; enrolling again issues a new certificate");
      }
      BootstrapTokenFormat.Issued issued =
          BootstrapTokenFormat.issue(
              hubNamespace, session.namespace(), cluster, validFor, Instant.now());
      session.client().secrets().inNamespace(hubNamespace).resource(issued.secret()).create();
      String expires =
          BootstrapTokenFormat.read(issued.secret()).orElseThrow().expiresAt().toString();
      String helm = helm(session.namespace(), issued.token());
      if (format == Output.Format.json || format == Output.Format.yaml) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cluster", session.namespace() + "/" + cluster);
        m.put("token", issued.token());
        m.put("expiresAt", expires);
        m.put("secret", hubNamespace + "/" + issued.secret().getMetadata().getName());
        m.put("helm", helm);
        Output.structured(out, format, m);
      } else {
        out.println(
            "Bootstrap token for cluster "
                + session.namespace()
                + "/"
                + cluster
                + " (single use, expires "
                + expires
                + "):");
        out.println();
        out.println("  " + issued.token());
        out.println();
        out.println("Install the agent in that cluster with:");
        out.println();
        out.println(helm);
        out.println();
        out.println(
            VALUES_FILE
                + " holds the rest of the agent's settings: hub.ca, bundleSource, trustedKeys"
                + " and allow (charts/agent/values.yaml, docs/getting-started.md).");
        out.println("The token is not stored and cannot be shown again.");
        out.flush();
      }
      return 0;
    }
  }

  private String helm(String namespace, String token) {
    return "helm install kapro-agent "
        + chart
        + " \\\n"
        + "  --namespace kapro-system --create-namespace \\\n"
        + "  --values "
        + VALUES_FILE
        + " \\\n"
        + "  --set cluster.namespace="
        + namespace
        + " \\\n"
        + "  --set cluster.name="
        + cluster
        + " \\\n"
        + "  --set hub.address="
        + hubAddress
        + " \\\n"
        + "  --set bootstrapToken.token="
        + token;
  }
}
