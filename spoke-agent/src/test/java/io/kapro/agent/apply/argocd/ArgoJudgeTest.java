package io.kapro.agent.apply.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kapro.agent.apply.ConvergencePhase;
import io.kapro.agent.apply.Desired;
import io.kapro.agent.apply.Judgement;
import io.kapro.oci.bundle.FieldSet;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Application status documents shaped like the Argo CD application controller writes them. */
class ArgoJudgeTest {
  static final YAMLMapper YAML = new YAMLMapper();
  static final Instant APPLIED = Instant.parse("2026-11-21T10:00:00.400Z");

  static final Desired CHART =
      new Desired(
          "6.5.1", "", List.of(new FieldSet("spec.source.targetRevision", "6.5.1")), "", APPLIED);

  static final String SYNCED =
      """
      metadata: {name: podinfo, namespace: argocd}
      spec:
        source: {repoURL: "https://stefanprodan.github.io/podinfo", chart: podinfo, targetRevision: 6.5.1}
        destination: {server: "https://kubernetes.default.svc", namespace: apps}
      status:
        reconciledAt: "2026-11-21T10:00:09Z"
        sync:
          status: Synced
          revision: 6.5.1
          comparedTo:
            source: {repoURL: "https://stefanprodan.github.io/podinfo", chart: podinfo, targetRevision: 6.5.1}
            destination: {server: "https://kubernetes.default.svc", namespace: apps}
        health: {status: Healthy}
        operationState:
          phase: Succeeded
          message: "successfully synced (all tasks run)"
          startedAt: "2026-11-21T10:00:01Z"
          finishedAt: "2026-11-21T10:00:06Z"
          operation: {sync: {revision: 6.5.1}, initiatedBy: {username: kapro-agent}}
          syncResult: {revision: 6.5.1, source: {chart: podinfo, targetRevision: 6.5.1}}
        history:
          - {id: 4, revision: 6.5.1, deployedAt: "2026-11-21T10:00:06Z"}
      """;

  static final Desired IMAGE =
      new Desired(
          "1.1.0",
          "",
          List.of(
              new FieldSet(
                  "spec.source.kustomize.images[image=ghcr.io/acme/web]",
                  "ghcr.io/acme/web:1.1.0")),
          "",
          APPLIED);

  static final String KUSTOMIZE =
      """
      metadata: {name: web}
      spec:
        source: {repoURL: "https://git.example/web.git", path: deploy, targetRevision: main, kustomize: {images: ["ghcr.io/acme/web:1.1.0"]}}
      status:
        reconciledAt: "2026-11-21T10:00:30Z"
        sync:
          status: Synced
          revision: 1f3a9c0d2e4b6a8c0e2f4a6b8d0c2e4f6a8b0d2c
          comparedTo: {source: {repoURL: "https://git.example/web.git", path: deploy, targetRevision: main, kustomize: {images: ["redis:7", "%s"]}}}
        health: {status: Healthy}
        operationState: {phase: Succeeded, startedAt: "2026-11-21T10:00:02Z", finishedAt: "2026-11-21T10:00:12Z", message: successfully synced}
      """;

  static Stream<Arguments> cases() {
    Desired multi =
        new Desired(
            "2.0.0",
            "",
            List.of(new FieldSet("spec.sources[1].targetRevision", "v2.0.0")),
            "",
            APPLIED);
    Desired param =
        new Desired(
            "1.9",
            "",
            List.of(new FieldSet("spec.source.helm.parameters[name=image.tag].value", "1.9")),
            "",
            APPLIED);
    String multiSynced =
        """
        metadata: {name: shop}
        spec:
          sources:
            - {repoURL: "https://charts.example/", chart: shop, targetRevision: 3.1.0}
            - {repoURL: "https://git.example/shop-config.git", path: envs/prod, targetRevision: v2.0.0}
          syncPolicy: {automated: {prune: true, selfHeal: true}}
        status:
          reconciledAt: "2026-11-21T10:00:20Z"
          sync:
            status: Synced
            revisions: [3.1.0, 5d2b4c07a1e9f3b6c8d0e2f4a6b8c0d2e4f6a8b0]
            comparedTo:
              sources:
                - {repoURL: "https://charts.example/", chart: shop, targetRevision: 3.1.0}
                - {repoURL: "https://git.example/shop-config.git", path: envs/prod, targetRevision: %s}
          health: {status: Healthy}
          operationState: {phase: Succeeded, startedAt: "2026-11-21T10:00:02Z", finishedAt: "2026-11-21T10:00:12Z", message: successfully synced}
        """;
    String paramApp =
        """
        metadata: {name: api}
        spec:
          source: {repoURL: "https://git.example/api.git", path: chart, targetRevision: main, helm: {parameters: [{name: image.tag, value: "1.9"}]}}
        status:
          reconciledAt: "2026-11-21T10:00:30Z"
          sync:
            status: %s
            revision: 9c0ffee9c0ffee9c0ffee9c0ffee9c0ffee9c0ff
            comparedTo: {source: {repoURL: "https://git.example/api.git", path: chart, targetRevision: main, helm: {parameters: [{name: image.tag, value: "%s"}]}}}
          health: {status: %s, message: "%s"}
          conditions: %s
        """;
    return Stream.of(
        Arguments.of(
            "chart synced healthy",
            SYNCED,
            CHART,
            ConvergencePhase.CONVERGED,
            "Synced and Healthy at 6.5.1"),
        Arguments.of(
            "sync requested, not started",
            SYNCED.replace("spec:\n", "operation: {sync: {revision: 6.5.1}}\nspec:\n"),
            CHART,
            ConvergencePhase.APPLIED,
            "not started"),
        Arguments.of(
            "operation running",
            SYNCED
                .replace("phase: Succeeded", "phase: Running")
                .replace(
                    "successfully synced (all tasks run)",
                    "waiting for healthy state of apps/Deployment/podinfo"),
            CHART,
            ConvergencePhase.PROGRESSING,
            "waiting for healthy state"),
        Arguments.of(
            "operation failed",
            SYNCED
                .replace("phase: Succeeded", "phase: Failed")
                .replace(
                    "successfully synced (all tasks run)",
                    "one or more objects failed to apply, reason: Deployment.apps \\\"podinfo\\\" is invalid"),
            CHART,
            ConvergencePhase.FAILED,
            "failed to apply"),
        Arguments.of(
            "old failed operation is not ours",
            SYNCED
                .replace("phase: Succeeded", "phase: Failed")
                .replace(
                    "startedAt: \"2026-11-21T10:00:01Z\"", "startedAt: \"2026-11-20T08:00:00Z\""),
            CHART,
            ConvergencePhase.CONVERGED,
            "Synced"),
        Arguments.of(
            "refresh still pending",
            SYNCED.replace(
                "metadata: {name: podinfo, namespace: argocd}",
                "metadata: {name: podinfo, annotations: {argocd.argoproj.io/refresh: normal}}"),
            CHART,
            ConvergencePhase.APPLIED,
            "not refreshed"),
        Arguments.of(
            "reconciled before the patch",
            SYNCED.replace(
                "reconciledAt: \"2026-11-21T10:00:09Z\"", "reconciledAt: \"2026-11-21T09:59:00Z\""),
            CHART,
            ConvergencePhase.APPLIED,
            "not refreshed"),
        Arguments.of(
            "compared against old revision",
            SYNCED.replace(
                "comparedTo:\n      source: {repoURL: \"https://stefanprodan.github.io/podinfo\", chart: podinfo, targetRevision: 6.5.1}",
                "comparedTo:\n      source: {repoURL: \"https://stefanprodan.github.io/podinfo\", chart: podinfo, targetRevision: 6.5.0}"),
            CHART,
            ConvergencePhase.PROGRESSING,
            "want 6.5.1"),
        Arguments.of(
            "synced at old chart revision",
            SYNCED.replace("revision: 6.5.1\n    comparedTo", "revision: 6.5.0\n    comparedTo"),
            CHART,
            ConvergencePhase.PROGRESSING,
            "synced revision 6.5.0"),
        Arguments.of(
            "out of sync",
            SYNCED.replace("status: Synced", "status: OutOfSync"),
            CHART,
            ConvergencePhase.PROGRESSING,
            "OutOfSync"),
        Arguments.of(
            "health progressing",
            SYNCED.replace(
                "health: {status: Healthy}",
                "health: {status: Progressing, message: \"Waiting for rollout to finish: 1 old replicas are pending termination\"}"),
            CHART,
            ConvergencePhase.PROGRESSING,
            "old replicas"),
        Arguments.of(
            "health degraded",
            SYNCED.replace(
                "health: {status: Healthy}",
                "health: {status: Degraded, message: \"Deployment \\\"podinfo\\\" exceeded its progress deadline\"}"),
            CHART,
            ConvergencePhase.DEGRADED,
            "exceeded its progress deadline"),
        Arguments.of(
            "reconciled before last operation finished",
            SYNCED.replace(
                "finishedAt: \"2026-11-21T10:00:06Z\"", "finishedAt: \"2026-11-21T10:00:12Z\""),
            CHART,
            ConvergencePhase.PROGRESSING,
            "older than the last operation"),
        Arguments.of(
            "multi-source synced",
            multiSynced.formatted("v2.0.0"),
            multi,
            ConvergencePhase.CONVERGED,
            "3.1.0,5d2b"),
        Arguments.of(
            "multi-source compared to old tag",
            multiSynced.formatted("v1.9.0"),
            multi,
            ConvergencePhase.PROGRESSING,
            "want v2.0.0"),
        Arguments.of(
            "helm parameter synced",
            paramApp.formatted("Synced", "1.9", "Healthy", "", "[]"),
            param,
            ConvergencePhase.CONVERGED,
            "Synced"),
        Arguments.of(
            "helm parameter comparison error",
            paramApp.formatted(
                "Unknown",
                "1.9",
                "Healthy",
                "",
                "[{type: ComparisonError, message: \"rpc error: code = Unknown desc = helm template failed\"}]"),
            param,
            ConvergencePhase.DEGRADED,
            "helm template failed"),
        Arguments.of(
            "kustomize image compared",
            KUSTOMIZE.formatted("ghcr.io/acme/web:1.1.0"),
            IMAGE,
            ConvergencePhase.CONVERGED,
            "Synced and Healthy"),
        Arguments.of(
            "kustomize image not yet compared",
            KUSTOMIZE.formatted("ghcr.io/acme/web:1.0.0"),
            IMAGE,
            ConvergencePhase.PROGRESSING,
            "want ghcr.io/acme/web:1.1.0"),
        Arguments.of(
            "no status yet",
            "metadata: {name: x}\nspec: {source: {targetRevision: 6.5.1, chart: podinfo}}",
            CHART,
            ConvergencePhase.APPLIED,
            "not refreshed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void judges(String name, String yaml, Desired desired, ConvergencePhase phase, String message)
      throws Exception {
    Judgement j = ArgoJudge.judge(YAML.readTree(yaml), desired);
    assertThat(j.phase()).as(j.message()).isEqualTo(phase);
    assertThat(j.message()).contains(message);
    assertThat(j.conditions()).extracting(c -> c.type()).contains("Sync", "Health");
  }
}
