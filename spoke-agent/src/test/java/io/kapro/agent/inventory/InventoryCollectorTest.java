package io.kapro.agent.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kapro.agent.v1.InventoryField;
import io.kapro.agent.v1.InventoryObject;
import io.kapro.oci.bundle.ObjectReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the agent describes the objects it lists. The objects are the upstream projects' own
 * examples: fluxcd/helm-controller docs/spec/v2/helmreleases.md (podinfo HelmRelease),
 * fluxcd/source-controller docs/spec/v1/ocirepositories.md (podinfo OCIRepository),
 * fluxcd/kustomize-controller docs/spec/v1/kustomizations.md (podinfo Kustomization; the
 * kustomize.toolkit.fluxcd.io/name|namespace labels it sets on what it applies), argoproj/argo-cd
 * docs/operator-manual/declarative-setup.md (guestbook Application) and
 * docs/operator-manual/applicationset (generated Applications carry an ownerReference to their
 * ApplicationSet).
 */
class InventoryCollectorTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static InventoryObject describe(String yaml, boolean managed) throws Exception {
    JsonNode o = YAML.readTree(yaml);
    ObjectReference ref =
        new ObjectReference(
            o.path("apiVersion").asText(),
            o.path("kind").asText(),
            o.path("metadata").path("namespace").asText(),
            o.path("metadata").path("name").asText());
    return InventoryCollector.describe(o, ref, managed);
  }

  static List<String> fields(InventoryObject o) {
    return o.getFieldsList().stream().map(f -> f.getPath() + "=" + f.getValue()).toList();
  }

  @Test
  void helmReleaseChartVersionAndSource() throws Exception {
    InventoryObject o =
        describe(
            """
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata: {name: podinfo, namespace: default}
            spec:
              interval: 10m
              chart:
                spec:
                  chart: podinfo
                  version: '6.5.*'
                  sourceRef: {kind: HelmRepository, name: podinfo}
            """,
            false);
    assertThat(fields(o)).containsExactly("spec.chart.spec.version=6.5.*");
    assertThat(o.getSource()).isEqualTo("chart podinfo from HelmRepository default/podinfo");
    assertThat(o.getOwner()).isEmpty();
    assertThat(o.getManaged()).isFalse();
  }

  @Test
  void ociRepositoryRefAndUrl() throws Exception {
    InventoryObject o =
        describe(
            """
            apiVersion: source.toolkit.fluxcd.io/v1
            kind: OCIRepository
            metadata: {name: podinfo, namespace: default}
            spec:
              interval: 5m0s
              url: oci://ghcr.io/stefanprodan/manifests/podinfo
              ref: {tag: latest}
            """,
            true);
    assertThat(fields(o)).containsExactly("spec.ref.tag=latest");
    assertThat(o.getSource()).isEqualTo("oci://ghcr.io/stefanprodan/manifests/podinfo");
    assertThat(o.getManaged()).isTrue();
  }

  @Test
  void kustomizationHasNoVersionOfItsOwnButItsSourceAndParent() throws Exception {
    InventoryObject o =
        describe(
            """
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata:
              name: podinfo
              namespace: default
              labels:
                kustomize.toolkit.fluxcd.io/name: apps
                kustomize.toolkit.fluxcd.io/namespace: flux-system
            spec:
              interval: 10m
              targetNamespace: default
              sourceRef: {kind: GitRepository, name: podinfo}
              path: "./kustomize"
              prune: true
            """,
            false);
    assertThat(o.getFieldsList()).isEmpty();
    assertThat(o.getSource()).isEqualTo("GitRepository default/podinfo path ./kustomize");
    assertThat(o.getOwner()).isEqualTo("Kustomization flux-system/apps");
  }

  @Test
  void applicationTargetRevisionAndItsApplicationSet() throws Exception {
    InventoryObject o =
        describe(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: guestbook
              namespace: argocd
              ownerReferences:
                - {apiVersion: argoproj.io/v1alpha1, kind: ApplicationSet, name: guestbook, uid: 1}
            spec:
              project: default
              source:
                repoURL: https://github.com/argoproj/argocd-example-apps.git
                targetRevision: HEAD
                path: guestbook
              destination: {server: https://kubernetes.default.svc, namespace: guestbook}
            """,
            false);
    assertThat(fields(o)).containsExactly("spec.source.targetRevision=HEAD");
    assertThat(o.getSource())
        .isEqualTo("https://github.com/argoproj/argocd-example-apps.git path guestbook");
    assertThat(o.getOwner()).isEqualTo("ApplicationSet guestbook");
  }

  @Test
  void boundedInCountAndBytesWithAStableDigest() {
    List<InventoryObject> many = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      many.add(
          InventoryObject.newBuilder()
              .setApiVersion("helm.toolkit.fluxcd.io/v2")
              .setKind("HelmRelease")
              .setObjectNamespace("ns")
              .setName("app-" + i)
              .addFields(
                  InventoryField.newBuilder().setPath("spec.chart.spec.version").setValue("1.0.0"))
              .build());
    }
    var inv = InventoryCollector.bounded(many);
    assertThat(inv.getTruncated()).isTrue();
    assertThat(inv.getObjectsCount()).isLessThanOrEqualTo(InventoryCollector.MAX_OBJECTS);
    assertThat(inv.getSerializedSize()).isLessThan(64 * 1024);
    assertThat(InventoryCollector.bounded(many).getDigest()).isEqualTo(inv.getDigest());
    assertThat(InventoryCollector.bounded(many.subList(0, 2)).getTruncated()).isFalse();
  }
}
