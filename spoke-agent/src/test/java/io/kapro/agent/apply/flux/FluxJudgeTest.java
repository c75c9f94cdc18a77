package io.kapro.agent.apply.flux;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kapro.agent.apply.ConvergencePhase;
import io.kapro.agent.apply.Desired;
import io.kapro.agent.apply.Judgement;
import io.kapro.agent.config.ManagedKind;
import io.kapro.oci.bundle.FieldSet;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Flux status documents shaped like helm-, source- and kustomize-controller write them. */
class FluxJudgeTest {
  static final String TOKEN = "2026-11-21T10:00:00.123456Z";
  static final YAMLMapper YAML = new YAMLMapper();

  static Desired desired(String version, String path, String value) {
    return new Desired(
        version,
        "",
        List.of(new FieldSet(path, value)),
        TOKEN,
        Instant.parse("2026-11-21T10:00:00Z"));
  }

  static final Desired HR = desired("6.5.1", "spec.chart.spec.version", "6.5.1");

  static final String HR_CONVERGED =
      """
      metadata: {name: podinfo, namespace: apps, generation: 7}
      spec: {chart: {spec: {chart: podinfo, version: 6.5.1}}}
      status:
        observedGeneration: 7
        lastHandledReconcileAt: "%s"
        lastAttemptedRevision: 6.5.1
        lastAttemptedConfigDigest: sha256:1d2c
        history:
          - chartName: podinfo
            chartVersion: 6.5.1
            appVersion: 6.5.1
            status: deployed
            version: 4
            digest: sha256:aa11
          - chartName: podinfo
            chartVersion: 6.5.0
            status: superseded
            version: 3
        conditions:
          - {type: Ready, status: "True", reason: UpgradeSucceeded, message: "Helm upgrade succeeded for release apps/podinfo.v4 with chart podinfo@6.5.1", observedGeneration: 7, lastTransitionTime: "2026-11-21T10:00:05Z"}
          - {type: Released, status: "True", reason: UpgradeSucceeded, message: "Helm upgrade succeeded", observedGeneration: 7}
      """
          .formatted(TOKEN);

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "helmrelease converged",
            ManagedKind.HELM_RELEASE,
            HR_CONVERGED,
            HR,
            ConvergencePhase.CONVERGED,
            "podinfo@6.5.1"),
        Arguments.of(
            "generation not observed",
            ManagedKind.HELM_RELEASE,
            HR_CONVERGED.replace(
                "observedGeneration: 7\n  lastHandled", "observedGeneration: 6\n  lastHandled"),
            HR,
            ConvergencePhase.APPLIED,
            "has not observed generation 7"),
        Arguments.of(
            "reconciling the new generation",
            ManagedKind.HELM_RELEASE,
            HR_CONVERGED
                .replace(
                    "observedGeneration: 7\n  lastHandled", "observedGeneration: 6\n  lastHandled")
                .replace(
                    "conditions:\n",
                    "conditions:\n    - {type: Reconciling, status: \"True\", reason: Progressing, message: x, observedGeneration: 7}\n"),
            HR,
            ConvergencePhase.PROGRESSING,
            "reconciling generation 7"),
        Arguments.of(
            "token not handled",
            ManagedKind.HELM_RELEASE,
            HR_CONVERGED.replace(TOKEN, "2026-11-20T09:00:00Z"),
            HR,
            ConvergencePhase.APPLIED,
            "not handled yet"),
        Arguments.of(
            "reconciling",
            ManagedKind.HELM_RELEASE,
            HR_CONVERGED.replace(
                "conditions:\n",
                "conditions:\n    - {type: Reconciling, status: \"True\", reason: Progressing, message: \"Running 'upgrade' action with timeout of 5m0s\"}\n"),
            HR,
            ConvergencePhase.PROGRESSING,
            "Running 'upgrade' action"),
        Arguments.of(
            "ready unknown",
            ManagedKind.HELM_RELEASE,
            HR_CONVERGED.replace(
                "type: Ready, status: \"True\"", "type: Ready, status: \"Unknown\""),
            HR,
            ConvergencePhase.PROGRESSING,
            "Ready=Unknown"),
        Arguments.of(
            "install failed, retrying",
            ManagedKind.HELM_RELEASE,
            HR_CONVERGED.replace(
                "type: Ready, status: \"True\", reason: UpgradeSucceeded, message: \"Helm upgrade succeeded for release apps/podinfo.v4 with chart podinfo@6.5.1\"",
                "type: Ready, status: \"False\", reason: InstallFailed, message: \"Helm install failed for release apps/podinfo with chart podinfo@6.5.1: context deadline exceeded\""),
            HR,
            ConvergencePhase.DEGRADED,
            "context deadline exceeded"),
        Arguments.of(
            "stalled after retries",
            ManagedKind.HELM_RELEASE,
            HR_CONVERGED.replace(
                "conditions:\n",
                "conditions:\n    - {type: Stalled, status: \"True\", reason: RetriesExceeded, message: \"Failed to upgrade after 3 attempt(s)\"}\n"),
            HR,
            ConvergencePhase.FAILED,
            "Failed to upgrade after 3 attempt(s)"),
        Arguments.of(
            "ready false terminal",
            ManagedKind.HELM_RELEASE,
            HR_CONVERGED.replace(
                "type: Ready, status: \"True\", reason: UpgradeSucceeded",
                "type: Ready, status: \"False\", reason: RetriesExceeded"),
            HR,
            ConvergencePhase.FAILED,
            "RetriesExceeded"),
        Arguments.of(
            "dependency not ready",
            ManagedKind.HELM_RELEASE,
            HR_CONVERGED.replace(
                "type: Ready, status: \"True\", reason: UpgradeSucceeded",
                "type: Ready, status: \"False\", reason: DependencyNotReady"),
            HR,
            ConvergencePhase.PROGRESSING,
            "DependencyNotReady"),
        Arguments.of(
            "ready at another chart",
            ManagedKind.HELM_RELEASE,
            HR_CONVERGED.replace("chartVersion: 6.5.1", "chartVersion: 6.5.0"),
            HR,
            ConvergencePhase.DEGRADED,
            "want chart version 6.5.1"),
        Arguments.of(
            "latest release failed",
            ManagedKind.HELM_RELEASE,
            HR_CONVERGED.replace("status: deployed", "status: failed"),
            HR,
            ConvergencePhase.DEGRADED,
            "is failed"),
        Arguments.of(
            "v2beta1 lastAppliedRevision",
            ManagedKind.HELM_RELEASE,
            "metadata: {generation: 2}\nstatus: {observedGeneration: 2, lastHandledReconcileAt: \""
                + TOKEN
                + "\", lastAppliedRevision: 6.5.1, conditions: [{type: Ready, status: \"True\", reason: ReconciliationSucceeded, message: Release reconciliation succeeded}]}",
            HR,
            ConvergencePhase.CONVERGED,
            "succeeded"),
        Arguments.of(
            "no status at all",
            ManagedKind.HELM_RELEASE,
            "metadata: {generation: 1}\nspec: {}",
            HR,
            ConvergencePhase.APPLIED,
            "generation 1"),
        Arguments.of(
            "oci tag converged",
            ManagedKind.OCI_REPOSITORY,
            oci(
                "6.5.1@sha256:4f0a9c",
                "True",
                "Succeeded",
                "stored artifact for digest '6.5.1@sha256:4f0a9c'"),
            desired("6.5.1", "spec.ref.tag", "6.5.1"),
            ConvergencePhase.CONVERGED,
            "stored artifact"),
        Arguments.of(
            "oci tag other revision",
            ManagedKind.OCI_REPOSITORY,
            oci("6.5.0@sha256:11aa", "True", "Succeeded", "stored"),
            desired("6.5.1", "spec.ref.tag", "6.5.1"),
            ConvergencePhase.DEGRADED,
            "want tag 6.5.1"),
        Arguments.of(
            "oci digest converged",
            ManagedKind.OCI_REPOSITORY,
            oci("sha256:4f0a9c", "True", "Succeeded", "stored"),
            desired("6.5.1", "spec.ref.digest", "sha256:4f0a9c"),
            ConvergencePhase.CONVERGED,
            "stored"),
        Arguments.of(
            "oci pull failed",
            ManagedKind.OCI_REPOSITORY,
            oci(
                "6.5.0@sha256:11aa",
                "False",
                "OCIArtifactPullFailed",
                "failed to pull artifact from 'oci://ghcr.io/stefanprodan/manifests/podinfo': MANIFEST_UNKNOWN"),
            desired("6.5.1", "spec.ref.tag", "6.5.1"),
            ConvergencePhase.DEGRADED,
            "MANIFEST_UNKNOWN"),
        Arguments.of(
            "git tag converged",
            ManagedKind.GIT_REPOSITORY,
            git("v1.4.0@sha1:8f2e0c1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a6978"),
            desired("v1.4.0", "spec.ref.tag", "v1.4.0"),
            ConvergencePhase.CONVERGED,
            "stored artifact"),
        Arguments.of(
            "git commit converged",
            ManagedKind.GIT_REPOSITORY,
            git("main@sha1:8f2e0c1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a6978"),
            desired("8f2e0c1", "spec.ref.commit", "8f2e0c1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a6978"),
            ConvergencePhase.CONVERGED,
            "stored artifact"),
        Arguments.of(
            "git branch other",
            ManagedKind.GIT_REPOSITORY,
            git("main@sha1:8f2e0c1d"),
            desired("release", "spec.ref.branch", "release-1.4"),
            ConvergencePhase.DEGRADED,
            "want branch release-1.4"),
        Arguments.of(
            "kustomization converged",
            ManagedKind.KUSTOMIZATION,
            kustomization(
                "main@sha1:8f2e0c1d",
                "main@sha1:8f2e0c1d",
                "True",
                "ReconciliationSucceeded",
                "Applied revision: main@sha1:8f2e0c1d"),
            desired("1.4.0", "spec.images[name=ghcr.io/acme/app].newTag", "1.4.0"),
            ConvergencePhase.CONVERGED,
            "Applied revision"),
        Arguments.of(
            "kustomization health check failed",
            ManagedKind.KUSTOMIZATION,
            kustomization(
                "main@sha1:8f2e0c1d",
                "main@sha1:8f2e0c1d",
                "False",
                "HealthCheckFailed",
                "health check failed after 5m0s: timeout waiting for: [Deployment/apps/app status: 'InProgress']"),
            desired("1.4.0", "spec.images[name=ghcr.io/acme/app].newTag", "1.4.0"),
            ConvergencePhase.DEGRADED,
            "timeout waiting for"),
        Arguments.of(
            "kustomization build failed but older applied",
            ManagedKind.KUSTOMIZATION,
            kustomization(
                "main@sha1:0000", "main@sha1:8f2e", "True", "ReconciliationSucceeded", "Applied"),
            desired("x", "spec.postBuild.substitute.APP_VERSION", "x"),
            ConvergencePhase.DEGRADED,
            "last attempted revision"));
  }

  static String oci(String revision, String ready, String reason, String message) {
    return """
        metadata: {generation: 3}
        spec: {ref: {tag: "6.5.1"}}
        status:
          observedGeneration: 3
          lastHandledReconcileAt: "%s"
          url: http://source-controller.flux-system.svc.cluster.local./ocirepository/apps/podinfo/sha256:4f0a9c.tar.gz
          artifact: {digest: "sha256:5a1b", lastUpdateTime: "2026-11-21T10:00:03Z", path: ocirepository/apps/podinfo/x.tar.gz, revision: "%s", size: 1234}
          conditions:
            - {type: Ready, status: "%s", reason: %s, message: "%s", observedGeneration: 3}
            - {type: ArtifactInStorage, status: "True", reason: Succeeded, message: "stored artifact"}
        """
        .formatted(TOKEN, revision, ready, reason, message);
  }

  static String git(String revision) {
    return """
        metadata: {generation: 5}
        status:
          observedGeneration: 5
          lastHandledReconcileAt: "%s"
          artifact: {revision: "%s", digest: "sha256:77", lastUpdateTime: "2026-11-21T10:00:03Z"}
          conditions:
            - {type: Ready, status: "True", reason: Succeeded, message: "stored artifact for revision '%s'"}
        """
        .formatted(TOKEN, revision, revision);
  }

  static String kustomization(
      String attempted, String applied, String ready, String reason, String message) {
    return """
        metadata: {generation: 9}
        status:
          observedGeneration: 9
          lastHandledReconcileAt: "%s"
          lastAttemptedRevision: "%s"
          lastAppliedRevision: "%s"
          inventory: {entries: [{id: apps_app_apps_Deployment, v: v1}]}
          conditions:
            - {type: Ready, status: "%s", reason: %s, message: "%s"}
            - {type: Healthy, status: "%s", reason: %s, message: "%s"}
        """
        .formatted(TOKEN, attempted, applied, ready, reason, message, ready, reason, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void judges(
      String name,
      ManagedKind kind,
      String yaml,
      Desired desired,
      ConvergencePhase phase,
      String message)
      throws Exception {
    JsonNode object = YAML.readTree(yaml);
    Judgement j = FluxJudge.judge(kind, object, desired);
    assertThat(j.phase()).as(j.message()).isEqualTo(phase);
    assertThat(j.message()).contains(message);
  }
}
