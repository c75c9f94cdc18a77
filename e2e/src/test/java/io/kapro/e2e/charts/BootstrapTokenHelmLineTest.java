package io.kapro.e2e.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterSpec;
import io.kapro.cli.KaproCli;
import io.kapro.cli.certs.BootstrapTokenCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The helm line `kapro certs bootstrap-token` prints installs the agent chart: its --set names are
 * the chart's values, and with the values file it names the chart renders the agent for that
 * cluster with that token.
 */
class BootstrapTokenHelmLineTest {
  @Test
  void thePrintedHelmLineRendersTheAgentChartForThatCluster() throws Exception {
    String out;
    try (LocalKubeApi api = LocalKubeApi.start()) {
      Cluster c = new Cluster();
      c.setMetadata(new ObjectMetaBuilder().withName("edge-1").withNamespace("shop").build());
      c.setSpec(new ClusterSpec());
      api.client().resource(c).create();
      StringWriter stdout = new StringWriter();
      StringWriter stderr = new StringWriter();
      int code =
          KaproCli.execute(
              new PrintWriter(stdout),
              new PrintWriter(stderr),
              "certs",
              "bootstrap-token",
              "edge-1",
              "-n",
              "shop",
              "--hub-address",
              "hub.example.com:443",
              "--kubeconfig",
              api.kubeconfig().toString());
      assertThat(code).as("%s", stderr).isZero();
      out = stdout.toString();
    }
    assertThat(out).contains("--values " + BootstrapTokenCommand.VALUES_FILE);
    Map<String, String> sets = new LinkedHashMap<>();
    Matcher m = Pattern.compile("--set (\\S+?)=(\\S+)").matcher(out);
    while (m.find()) {
      sets.put(m.group(1), m.group(2));
    }
    assertThat(sets)
        .containsOnlyKeys(
            "cluster.namespace", "cluster.name", "hub.address", "bootstrapToken.token");

    Charts.Rendered r = Charts.template("agent", AgentValues.REST, sets);
    JsonNode config =
        Charts.YAML.readTree(
            r.get("ConfigMap", "kapro-kapro-agent").path("data").path("agent.yaml").asText());
    assertThat(config.path("cluster").path("namespace").asText()).isEqualTo("shop");
    assertThat(config.path("cluster").path("name").asText()).isEqualTo("edge-1");
    assertThat(config.path("hub").path("address").asText()).isEqualTo("hub.example.com:443");
    assertThat(
            r.get("Secret", "kapro-kapro-agent-bootstrap")
                .path("stringData")
                .path("token")
                .asText())
        .isEqualTo(sets.get("bootstrapToken.token"))
        .startsWith("kbt_");
  }
}
