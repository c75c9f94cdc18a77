package io.kapro.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.Examples.Manifest;
import io.kapro.api.testing.ApiKind;
import io.kapro.api.testing.JsonPathLite;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterStatus;
import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.Plan;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionPhase;
import io.kapro.api.v1alpha2.PromotionStatus;
import io.kapro.api.validation.SpecValidator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Loads the CRDs into the local API server, creates every object under {@code examples/}, reads
 * each back, and evaluates every printer column's JSONPath on the stored object.
 */
class ExamplesIT {
  private static final String NS = "quickstart";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalKubeApi api;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    api = LocalKubeApi.start(ApiKind.FLUX_AND_ARGO);
    client = api.client();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void everyExampleIsStoredReadBackAndPrintable() throws Exception {
    List<Manifest> manifests = Examples.all();
    assertThat(manifests)
        .extracting(Manifest::kind)
        .containsOnly("Fleet", "Cluster", "Plan", "Promotion", "Approval", "Source", "SourceGroup");
    Map<String, List<CustomResourceColumnDefinition>> columns = columnsByKind();

    for (Manifest m : manifests) {
      GenericKubernetesResource sent =
          JSON.treeToValue(m.object(), GenericKubernetesResource.class);
      client.resource(sent).inNamespace(NS).create();

      GenericKubernetesResource stored =
          client
              .genericKubernetesResources(m.object().get("apiVersion").asText(), m.kind())
              .inNamespace(NS)
              .withName(m.name())
              .get();
      assertThat(stored).as(m.toString()).isNotNull();
      JsonNode storedJson = JSON.valueToTree(stored);
      assertThat(storedJson.get("spec"))
          .as(m + " spec round trip")
          .isEqualTo(m.object().get("spec"));
      assertThat(storedJson.at("/metadata/labels"))
          .as(m + " labels")
          .isEqualTo(m.object().at("/metadata/labels"));

      // Typed read, as the hub reads it, passes the hub's own validation.
      var typed =
          client
              .resources(Examples.typed(m.object()).getClass())
              .inNamespace(NS)
              .withName(m.name())
              .get();
      assertThat(SpecValidator.validate(typed)).as(m.toString()).isEmpty();

      assertThat(columns).containsKey(m.kind());
      for (CustomResourceColumnDefinition c : columns.get(m.kind())) {
        List<JsonNode> fromExample = JsonPathLite.evaluate(m.object(), c.getJsonPath());
        List<JsonNode> fromStored = JsonPathLite.evaluate(storedJson, c.getJsonPath());
        if (!fromExample.isEmpty()) {
          assertThat(fromStored).as(m + " column " + c.getName()).isEqualTo(fromExample);
        }
        if (c.getJsonPath().startsWith(".metadata") || c.getJsonPath().startsWith(".spec")) {
          assertThat(fromStored)
              .as(m + " column " + c.getName() + " (" + c.getJsonPath() + ")")
              .isNotEmpty();
        }
      }
    }
  }

  @Test
  void statusColumnsResolveOnceAControllerWritesStatus() {
    Map<String, List<CustomResourceColumnDefinition>> columns = columnsByKind();
    String ns = "quickstart-status";
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    for (Manifest m : Examples.all()) {
      client.resource(Examples.typed(m.object())).inNamespace(ns).create();
    }
    Cluster cluster = client.resources(Cluster.class).inNamespace(ns).withName("prod-eu-1").get();
    ClusterStatus cs = new ClusterStatus();
    Condition connected = new Condition();
    connected.setType("Connected");
    connected.setStatus(ConditionStatus.True);
    connected.setReason("AgentConnected");
    // as the hub writes them from the agent's evidence (issue 17): healthy and in sync
    Condition degraded = new Condition();
    degraded.setType(Kapro.ConditionTypes.DEGRADED);
    degraded.setStatus(ConditionStatus.False);
    degraded.setReason(Kapro.Reasons.HEALTHY);
    Condition drifted = new Condition();
    drifted.setType(Kapro.ConditionTypes.DRIFTED);
    drifted.setStatus(ConditionStatus.False);
    drifted.setReason(Kapro.Reasons.IN_SYNC);
    cs.setConditions(List.of(connected, degraded, drifted));
    cs.setVersionSummary("web=1.4.0,api=v1.4.0");
    cs.setLastSeen("2026-01-01T00:00:00Z");
    cluster.setStatus(cs);
    client.resource(cluster).updateStatus();

    Promotion promotion =
        client.resources(Promotion.class).inNamespace(ns).withName("shop-1-4-0").get();
    PromotionStatus ps = new PromotionStatus();
    ps.setPhase(PromotionPhase.Running);
    ps.setCurrentRun("shop-1-4-0-7f3a2");
    promotion.setStatus(ps);
    client.resource(promotion).updateStatus();

    assertEveryColumnSet(
        columns.get("Cluster"),
        client.resources(Cluster.class).inNamespace(ns).withName("prod-eu-1").get());
    assertEveryColumnSet(
        columns.get("Promotion"),
        client.resources(Promotion.class).inNamespace(ns).withName("shop-1-4-0").get());
    // a Source as the hub writes its status after a check (docs/sources.md)
    io.kapro.api.v1alpha2.Source source =
        client
            .resources(io.kapro.api.v1alpha2.Source.class)
            .inNamespace(ns)
            .withName("web-image")
            .get();
    io.kapro.api.v1alpha2.SourceStatus ss = new io.kapro.api.v1alpha2.SourceStatus();
    ss.setLatest("1.5.0");
    ss.setProven("1.4.0");
    ss.setAvailable(List.of("1.5.0"));
    Condition ready = new Condition();
    ready.setType(Kapro.ConditionTypes.READY);
    ready.setStatus(ConditionStatus.True);
    ready.setReason(Kapro.Reasons.RECONCILED);
    ss.setConditions(List.of(ready));
    source.setStatus(ss);
    client.resource(source).updateStatus();
    assertEveryColumnSet(
        columns.get("Source"),
        client
            .resources(io.kapro.api.v1alpha2.Source.class)
            .inNamespace(ns)
            .withName("web-image")
            .get());
    // a SourceGroup as the hub writes its status once its members recorded versions
    io.kapro.api.v1alpha2.SourceGroup group =
        client
            .resources(io.kapro.api.v1alpha2.SourceGroup.class)
            .inNamespace(ns)
            .withName("release")
            .get();
    io.kapro.api.v1alpha2.SourceGroupStatus gs = new io.kapro.api.v1alpha2.SourceGroupStatus();
    gs.setLatest("web=1.5.0 api=1.2.0");
    gs.setProven("web=1.4.0 api=1.2.0");
    gs.setAvailable(List.of("1a10f90064"));
    gs.setPromoted("d90f37294d");
    gs.setConditions(List.of(ready));
    group.setStatus(gs);
    client.resource(group).updateStatus();
    assertEveryColumnSet(
        columns.get("SourceGroup"),
        client
            .resources(io.kapro.api.v1alpha2.SourceGroup.class)
            .inNamespace(ns)
            .withName("release")
            .get());
    // The other kinds of the example are stored too.
    assertThat(client.resources(Fleet.class).inNamespace(ns).list().getItems()).hasSize(1);
    assertThat(client.resources(Plan.class).inNamespace(ns).list().getItems())
        .hasSize((int) Examples.all().stream().filter(m -> m.kind().equals("Plan")).count());
  }

  private static void assertEveryColumnSet(
      List<CustomResourceColumnDefinition> cols, Object resource) {
    JsonNode json = JSON.valueToTree(resource);
    for (CustomResourceColumnDefinition c : cols) {
      assertThat(JsonPathLite.first(json, c.getJsonPath()))
          .as(c.getName() + " " + c.getJsonPath())
          .isNotNull();
    }
  }

  private static Map<String, List<CustomResourceColumnDefinition>> columnsByKind() {
    return api.servedCrds().stream()
        .filter(c -> c.getSpec().getGroup().equals("kapro.io"))
        .collect(Collectors.toMap(c -> c.getSpec().getNames().getKind(), ExamplesIT::columns));
  }

  private static List<CustomResourceColumnDefinition> columns(CustomResourceDefinition crd) {
    return crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns();
  }
}
