package io.kapro.agent.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

/**
 * The owners an object names. Cases are the metadata the upstream tools document:
 *
 * <ul>
 *   <li>Argo CD tracking annotation: argo-cd docs/user-guide/resource_tracking.md (release-3.3,
 *       https://argo-cd.readthedocs.io/en/release-3.3/user-guide/resource_tracking/), value {@code
 *       my-app:apps/Deployment:default/my-deployment}
 *   <li>Argo CD instance label: the same page (release-2.9), {@code app.kubernetes.io/instance:
 *       some-application}
 *   <li>Flux: kustomize-controller docs/spec/v1/kustomizations.md, "Garbage collection": applied
 *       objects carry {@code kustomize.toolkit.fluxcd.io/name} and {@code /namespace}; the
 *       helm-controller labels {@code helm.toolkit.fluxcd.io/name} and {@code /namespace} alike
 *   <li>ownerReferences: Kubernetes ObjectMeta, {@code controller: true} marks the managing owner
 * </ul>
 */
class OwnersTest {
  static final YAMLMapper YAML = new YAMLMapper();

  static JsonNode object(String metadata) throws Exception {
    return YAML.readTree("metadata: " + metadata);
  }

  @Test
  void argoTrackingAnnotationNamesTheApplication() throws Exception {
    JsonNode o =
        object(
            "{name: my-deployment, namespace: default, annotations:"
                + " {argocd.argoproj.io/tracking-id: 'my-app:apps/Deployment:default/my-deployment'}}");
    assertThat(Owners.of(o))
        .containsExactly("Argo CD Application my-app (argocd.argoproj.io/tracking-id)");
  }

  @Test
  void argoInstanceLabelNamesTheApplicationWhenThereIsNoAnnotation() throws Exception {
    JsonNode o =
        object(
            "{name: my-deployment, namespace: default, labels: {app.kubernetes.io/instance: some-application}}");
    assertThat(Owners.of(o))
        .containsExactly("Argo CD Application some-application (app.kubernetes.io/instance)");
  }

  @Test
  void fluxKustomizeAndHelmLabelsNameTheParents() throws Exception {
    JsonNode o =
        object(
            "{name: podinfo, namespace: apps, labels: {kustomize.toolkit.fluxcd.io/name: apps,"
                + " kustomize.toolkit.fluxcd.io/namespace: flux-system,"
                + " helm.toolkit.fluxcd.io/name: umbrella, helm.toolkit.fluxcd.io/namespace: apps}}");
    assertThat(Owners.of(o))
        .containsExactly(
            "Kustomization flux-system/apps (kustomize.toolkit.fluxcd.io/name)",
            "HelmRelease apps/umbrella (helm.toolkit.fluxcd.io/name)");
  }

  @Test
  void theControllerOwnerReferenceComesFirst() throws Exception {
    JsonNode o =
        object(
            "{name: guestbook, namespace: argocd, ownerReferences: ["
                + "{apiVersion: v1, kind: ConfigMap, name: other, uid: a},"
                + "{apiVersion: argoproj.io/v1alpha1, kind: ApplicationSet, name: guestbooks,"
                + " uid: b, controller: true}]}");
    assertThat(Owners.of(o))
        .containsExactly(
            "ApplicationSet argocd/guestbooks (controller ownerReference)",
            "ConfigMap argocd/other (ownerReference)");
  }

  @Test
  void anObjectThatNamesNoOwnerSaysSo() throws Exception {
    assertThat(Owners.describe(object("{name: x, namespace: y}"))).contains("does not name");
  }
}
