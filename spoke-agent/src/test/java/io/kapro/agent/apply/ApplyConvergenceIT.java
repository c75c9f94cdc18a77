package io.kapro.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.kapro.agent.config.AllowList;
import io.kapro.agent.config.AllowRule;
import io.kapro.agent.config.FieldPath;
import io.kapro.agent.config.ManagedKind;
import io.kapro.agent.config.NamePattern;
import io.kapro.agent.testing.Failure;
import io.kapro.agent.testing.FakeArgoController;
import io.kapro.agent.testing.FakeFluxController;
import io.kapro.agent.testing.MockKube;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.FieldSet;
import io.kapro.oci.bundle.ObjectReference;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The applier and the judges against fabric8's mock API server with fake Flux and Argo CD
 * controllers that move status the way the real ones do.
 */
class ApplyConvergenceIT {
  static final YAMLMapper YAML = new YAMLMapper();

  static final ObjectReference OCI =
      new ObjectReference(
          "source.toolkit.fluxcd.io/v1beta2", "OCIRepository", "apps", "podinfo-oci");
  static final ObjectReference GIT =
      new ObjectReference("source.toolkit.fluxcd.io/v1", "GitRepository", "apps", "podinfo-git");
  static final ObjectReference HR =
      new ObjectReference("helm.toolkit.fluxcd.io/v2", "HelmRelease", "apps", "podinfo");
  static final ObjectReference KS =
      new ObjectReference("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "apps", "app");
  static final ObjectReference APP =
      new ObjectReference("argoproj.io/v1alpha1", "Application", "argocd", "podinfo");
  static final ObjectReference SHOP =
      new ObjectReference("argoproj.io/v1alpha1", "Application", "argocd", "shop");
  static final ObjectReference WEB =
      new ObjectReference("argoproj.io/v1alpha1", "Application", "argocd", "web");
  static final List<ObjectReference> ALL = List.of(OCI, GIT, HR, KS, APP, SHOP, WEB);

  static final AllowList ALLOW =
      new AllowList(
          List.of(
              rule(OCI, "spec.ref.tag", "spec.ref.digest", "spec.ref.semver"),
              rule(GIT, "spec.ref.tag", "spec.ref.commit", "spec.ref.branch"),
              rule(HR, "spec.chart.spec.version"),
              rule(KS, "spec.images[name=*].newTag", "spec.postBuild.substitute.*"),
              rule(
                  APP,
                  "spec.source.targetRevision",
                  "spec.sources[*].targetRevision",
                  "spec.source.helm.parameters[name=*].value",
                  "spec.source.kustomize.images[image=*]")));

  MockKube kube;
  FakeFluxController flux;
  FakeArgoController argo;
  BundleApplier applier;
  ConvergenceJudge judge;
  LocalObjects objects;

  static AllowRule rule(ObjectReference ref, String... fields) {
    return new AllowRule(
        ref.apiVersion(),
        ref.kind(),
        new NamePattern(ref.namespace()),
        NamePattern.ANY,
        Stream.of(fields).map(FieldPath::parsePattern).toList());
  }

  @BeforeEach
  void start() throws Exception {
    kube = new MockKube();
    create(
        OCI,
        "{interval: 5m, url: 'oci://ghcr.io/stefanprodan/manifests/podinfo', ref: {tag: 6.5.0}}");
    create(
        GIT, "{interval: 1m, url: 'https://github.com/stefanprodan/podinfo', ref: {tag: 6.5.0}}");
    create(
        HR,
        "{interval: 10m, chart: {spec: {chart: podinfo, version: 6.5.0, sourceRef: {kind: HelmRepository, name: podinfo}}}, values: {replicaCount: 2}}");
    create(
        KS,
        "{interval: 10m, path: ./deploy, prune: true, sourceRef: {kind: GitRepository, name: app}, images: [{name: ghcr.io/acme/app, newTag: 1.0.0}, {name: redis, newTag: '7'}], postBuild: {substitute: {APP_VERSION: 1.0.0}}}");
    create(
        APP,
        "{project: default, source: {repoURL: 'https://stefanprodan.github.io/podinfo', chart: podinfo, targetRevision: 6.5.0, helm: {parameters: [{name: image.tag, value: 6.5.0}]}}, destination: {server: 'https://kubernetes.default.svc', namespace: apps}}");
    create(
        SHOP,
        "{project: default, sources: [{repoURL: 'https://charts.example/', chart: shop, targetRevision: 3.1.0}, {repoURL: 'https://git.example/shop-config.git', path: envs/prod, targetRevision: v1.9.0}], destination: {server: 'https://kubernetes.default.svc', namespace: shop}, syncPolicy: {automated: {prune: true, selfHeal: true}}}");
    create(
        WEB,
        "{project: default, source: {repoURL: 'https://git.example/web.git', path: deploy,"
            + " targetRevision: main, kustomize: {images: ['ghcr.io/acme/web:1.0.0']}},"
            + " destination: {server: 'https://kubernetes.default.svc', namespace: web}}");
    flux = new FakeFluxController(kube.newClient()).startPolling();
    argo = new FakeArgoController(kube.newClient()).startPolling();
    objects = new LocalObjects(io.kapro.agent.kube.MockKubes.client(kube));
    applier =
        new BundleApplier(io.kapro.agent.kube.MockKubes.client(kube), ALLOW, Clock.systemUTC());
    judge = new ConvergenceJudge(objects);
    await().atMost(Duration.ofSeconds(20)).until(() -> ALL.stream().allMatch(this::baselineReady));
  }

  @AfterEach
  void stop() {
    flux.close();
    argo.close();
    kube.close();
  }

  void create(ObjectReference ref, String specYaml) throws Exception {
    ObjectNode obj = YAML.createObjectNode();
    obj.put("apiVersion", ref.apiVersion()).put("kind", ref.kind());
    obj.putObject("metadata").put("name", ref.name()).put("namespace", ref.namespace());
    obj.set("spec", YAML.readTree(specYaml));
    GenericKubernetesResource r =
        kube.client()
            .getKubernetesSerialization()
            .unmarshal(obj.toString(), GenericKubernetesResource.class);
    kube.client()
        .genericKubernetesResources(io.kapro.agent.kube.MockKubes.context(ref, kind(ref)))
        .inNamespace(ref.namespace())
        .resource(r)
        .create();
  }

  static ManagedKind kind(ObjectReference ref) {
    return ManagedKind.of(ref.apiVersion(), ref.kind()).orElseThrow();
  }

  JsonNode get(ObjectReference ref) {
    return objects.get(ref, kind(ref)).orElseThrow();
  }

  boolean baselineReady(ObjectReference ref) {
    JsonNode o = get(ref);
    if (ref.kind().equals("Application")) {
      return o.path("status").path("sync").path("status").asText().equals("Synced");
    }
    for (JsonNode c : o.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready") && c.path("status").asText().equals("True")) {
        return true;
      }
    }
    return false;
  }

  /** spec and annotations of every object, to prove nothing was touched. */
  Map<ObjectReference, String> snapshot() {
    Map<ObjectReference, String> out = new java.util.HashMap<>();
    for (ObjectReference ref : ALL) {
      JsonNode o = get(ref);
      out.put(
          ref,
          o.path("spec").toString()
              + o.path("metadata").path("annotations").toString()
              + o.path("operation").toString());
    }
    return out;
  }

  static BundleUnit unit(
      String name, ObjectReference ref, String version, String path, String value) {
    String backend = ref.kind().equals("Application") ? "ArgoCD" : "Flux";
    return new BundleUnit(name, backend, ref, version, "", List.of(new FieldSet(path, value)));
  }

  static Stream<Arguments> kinds() {
    return Stream.of(
        Arguments.of(unit("oci", OCI, "6.5.1", "spec.ref.tag", "6.5.1"), "6.5.1@sha256:"),
        Arguments.of(unit("git", GIT, "6.5.1", "spec.ref.tag", "6.5.1"), "6.5.1@sha1:"),
        Arguments.of(unit("helm", HR, "6.5.1", "spec.chart.spec.version", "6.5.1"), "6.5.1"),
        Arguments.of(
            unit("images", KS, "1.1.0", "spec.images[name=ghcr.io/acme/app].newTag", "1.1.0"),
            "main@sha1:"),
        Arguments.of(
            unit("substitute", KS, "1.1.0", "spec.postBuild.substitute.APP_VERSION", "1.1.0"),
            "main@sha1:"),
        Arguments.of(
            unit("argo-chart", APP, "6.5.1", "spec.source.targetRevision", "6.5.1"), "6.5.1"),
        Arguments.of(
            unit(
                "argo-kustomize-image",
                WEB,
                "1.1.0",
                "spec.source.kustomize.images[image=ghcr.io/acme/web]",
                "ghcr.io/acme/web:1.1.0"),
            ""),
        Arguments.of(
            unit(
                "argo-param",
                APP,
                "6.5.1",
                "spec.source.helm.parameters[name=image.tag].value",
                "6.5.1"),
            "6.5.0"),
        Arguments.of(
            unit("argo-multi", SHOP, "2.0.0", "spec.sources[1].targetRevision", "v2.0.0"),
            "3.1.0,"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void drivesEachKindToTheDesiredVersionAndJudgesConvergedOnlyWhenTheRulesHold(
      BundleUnit unit, String revision) {
    flux.hold();
    argo.hold();
    List<AppliedObject> applied = applier.apply(List.of(unit));
    assertThat(applied)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.ref()).isEqualTo(unit.object());
              if (unit.backend().equals("Flux")) {
                assertThat(a.requestedAt()).isNotEmpty();
                assertThat(
                        get(unit.object())
                            .path("metadata")
                            .path("annotations")
                            .path("reconcile.fluxcd.io/requestedAt")
                            .asText())
                    .isEqualTo(a.requestedAt());
              } else {
                // Argo CD: a sync is started only when the app has no automated sync policy.
                assertThat(a.syncStarted()).isEqualTo(!unit.object().equals(SHOP));
                assertThat(a.requestedAt()).isEmpty();
              }
            });
    JsonNode patched = get(unit.object());
    assertThat(valueAt(patched, unit.set().getFirst().path()))
        .isEqualTo(unit.set().getFirst().value());

    List<ConvergencePhase> seen = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Judgement j = judge.observe(applied).get(unit.name());
              seen.add(j.phase());
              assertThat(j.phase())
                  .as("%s / %s", j.message(), get(unit.object()))
                  .isEqualTo(ConvergencePhase.PROGRESSING);
            });
    // The controller sits in its intermediate state: never Converged during it.
    await()
        .during(Duration.ofMillis(400))
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> judge.observe(applied).get(unit.name()).phase() == ConvergencePhase.PROGRESSING);
    assertThat(seen)
        .doesNotContain(
            ConvergencePhase.CONVERGED, ConvergencePhase.FAILED, ConvergencePhase.DEGRADED);

    flux.release();
    argo.release();
    awaitPhase(applied, unit.name(), ConvergencePhase.CONVERGED);
    Judgement done = judge.observe(applied).get(unit.name());
    assertThat(done.observedRevision()).contains(revision);
  }

  @Test
  void convergedNeedsOurReconcileTokenHandled() {
    List<AppliedObject> applied =
        applier.apply(List.of(unit("helm", HR, "6.5.1", "spec.chart.spec.version", "6.5.1")));
    awaitPhase(applied, "helm", ConvergencePhase.CONVERGED);
    assertThat(get(HR).path("status").path("lastHandledReconcileAt").asText())
        .isEqualTo(applied.getFirst().requestedAt());
    // A judge holding a newer token than the controller handled does not call it converged.
    Desired newer =
        new Desired(
            "6.5.1",
            "",
            applied.getFirst().units().getFirst().set(),
            "2999-01-01T00:00:00Z",
            applied.getFirst().appliedAt());
    assertThat(ConvergenceJudge.judge(ManagedKind.HELM_RELEASE, get(HR), newer).phase())
        .isEqualTo(ConvergencePhase.APPLIED);

    // The same bundle again: no spec change, but a fresh token that must be handled once more.
    flux.hold();
    List<AppliedObject> again =
        applier.apply(List.of(unit("helm", HR, "6.5.1", "spec.chart.spec.version", "6.5.1")));
    assertThat(again.getFirst().requestedAt()).isNotEqualTo(applied.getFirst().requestedAt());
    assertThat(again.getFirst().generation()).isEqualTo(applied.getFirst().generation());
    awaitPhase(again, "helm", ConvergencePhase.PROGRESSING);
    flux.release();
    awaitPhase(again, "helm", ConvergencePhase.CONVERGED);
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(
            unit("helm", HR, "6.6.0", "spec.chart.spec.version", "6.6.0"),
            false,
            "InstallFailed",
            "Helm install failed for release apps/podinfo with chart podinfo@6.6.0: context deadline exceeded",
            ConvergencePhase.DEGRADED),
        Arguments.of(
            unit("helm", HR, "6.6.0", "spec.chart.spec.version", "6.6.0"),
            true,
            "UpgradeFailed",
            "Failed to upgrade after 3 attempt(s): timed out waiting for the condition",
            ConvergencePhase.FAILED),
        Arguments.of(
            unit("oci", OCI, "9.9.9", "spec.ref.tag", "9.9.9"),
            false,
            "OCIArtifactPullFailed",
            "failed to pull artifact from 'oci://ghcr.io/stefanprodan/manifests/podinfo': MANIFEST_UNKNOWN",
            ConvergencePhase.DEGRADED),
        Arguments.of(
            unit("argo-chart", APP, "6.6.0", "spec.source.targetRevision", "6.6.0"),
            true,
            "SyncFailed",
            "one or more objects failed to apply, reason: Deployment.apps \"podinfo\" is invalid",
            ConvergencePhase.FAILED),
        Arguments.of(
            unit("argo-chart", APP, "6.6.0", "spec.source.targetRevision", "6.6.0"),
            false,
            "Degraded",
            "Deployment \"podinfo\" exceeded its progress deadline",
            ConvergencePhase.DEGRADED));
  }

  @ParameterizedTest(name = "{0} terminal={1}")
  @MethodSource("failures")
  void aFailingControllerYieldsDegradedOrFailedWithItsMessage(
      BundleUnit unit, boolean terminal, String reason, String message, ConvergencePhase expected) {
    if (unit.backend().equals("Flux")) {
      flux.fail(
          unit.object().namespace(), unit.object().name(), new Failure(terminal, reason, message));
    } else {
      argo.fail(
          unit.object().namespace(), unit.object().name(), new Failure(terminal, reason, message));
    }
    List<AppliedObject> applied = applier.apply(List.of(unit));
    awaitPhase(applied, unit.name(), expected);
    Judgement j = judge.observe(applied).get(unit.name());
    assertThat(j.message()).contains(message);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(3))
        .until(() -> judge.observe(applied).get(unit.name()).phase() == expected);
  }

  static Stream<Arguments> fluxKinds() {
    return Stream.of(
        Arguments.of(unit("oci", OCI, "6.5.1", "spec.ref.tag", "6.5.1")),
        Arguments.of(unit("git", GIT, "6.5.1", "spec.ref.tag", "6.5.1")),
        Arguments.of(unit("helm", HR, "6.5.1", "spec.chart.spec.version", "6.5.1")),
        Arguments.of(
            unit("images", KS, "1.1.0", "spec.images[name=ghcr.io/acme/app].newTag", "1.1.0")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fluxKinds")
  void aSuspendedObjectIsNeverConvergedAndSaysSuspendedUntilResumed(BundleUnit unit) {
    ObjectReference ref = unit.object();
    suspend(ref, true);
    List<AppliedObject> applied = applier.apply(List.of(unit));
    long generation = get(ref).path("metadata").path("generation").asLong();
    // The fake stamps the new generation, our token and Ready=True while applying nothing.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              JsonNode status = get(ref).path("status");
              return status.path("observedGeneration").asLong() == generation
                  && status
                      .path("lastHandledReconcileAt")
                      .asText()
                      .equals(applied.getFirst().requestedAt());
            });
    awaitPhase(applied, unit.name(), ConvergencePhase.DEGRADED);
    assertThat(judge.observe(applied).get(unit.name()).message()).contains("suspended");
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(3))
        .until(
            () -> {
              Judgement j = judge.observe(applied).get(unit.name());
              return j.phase() == ConvergencePhase.DEGRADED && j.message().contains("suspended");
            });

    suspend(ref, false);
    awaitPhase(applied, unit.name(), ConvergencePhase.CONVERGED);
  }

  void suspend(ObjectReference ref, boolean suspend) {
    kube.client()
        .genericKubernetesResources(io.kapro.agent.kube.MockKubes.context(ref, kind(ref)))
        .inNamespace(ref.namespace())
        .withName(ref.name())
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
            "[{\"op\": \"add\", \"path\": \"/spec/suspend\", \"value\": " + suspend + "}]");
  }

  @Test
  void aFieldOutsideTheAllowListRefusesTheWholeBundle() {
    Map<ObjectReference, String> before = snapshot();
    List<BundleUnit> bundle =
        List.of(
            unit("helm", HR, "6.5.1", "spec.chart.spec.version", "6.5.1"),
            unit("values", HR, "6.5.1", "spec.values.replicaCount", "10"));
    assertThatThrownBy(() -> applier.apply(bundle))
        .isInstanceOfSatisfying(
            ApplyException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ApplyException.Reason.NOT_ALLOWED);
              assertThat(e.reason().rejectionReason().name())
                  .isEqualTo("REJECTION_REASON_NOT_ALLOWED");
              assertThat(e.getMessage())
                  .contains("HelmRelease/apps/podinfo")
                  .contains("spec.values.replicaCount");
              assertThat(e.path()).contains("spec.values.replicaCount");
            });
    List<BundleUnit> otherObject =
        List.of(
            unit("oci", OCI, "6.5.1", "spec.ref.tag", "6.5.1"),
            unit(
                "kube",
                new ObjectReference(
                    "helm.toolkit.fluxcd.io/v2", "HelmRelease", "kube-system", "cilium"),
                "1.0",
                "spec.chart.spec.version",
                "1.0"));
    assertThatThrownBy(() -> applier.apply(otherObject))
        .isInstanceOfSatisfying(
            ApplyException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ApplyException.Reason.NOT_ALLOWED);
              assertThat(e.getMessage())
                  .contains("HelmRelease/kube-system/cilium")
                  .contains("allow-list");
            });
    List<BundleUnit> wrongBackend =
        List.of(
            new BundleUnit(
                "x", "ArgoCD", HR, "1", "", List.of(new FieldSet("spec.chart.spec.version", "1"))));
    assertThatThrownBy(() -> applier.apply(wrongBackend))
        .hasMessageContaining("backend 'ArgoCD' does not manage HelmRelease");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void aMissingObjectTouchesNothing() {
    Map<ObjectReference, String> before = snapshot();
    ObjectReference missing =
        new ObjectReference("helm.toolkit.fluxcd.io/v2", "HelmRelease", "apps", "gone");
    List<BundleUnit> bundle =
        List.of(
            unit("helm", HR, "6.5.1", "spec.chart.spec.version", "6.5.1"),
            unit("gone", missing, "6.5.1", "spec.chart.spec.version", "6.5.1"));
    assertThatThrownBy(() -> applier.apply(bundle))
        .isInstanceOfSatisfying(
            ApplyException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ApplyException.Reason.OBJECT_NOT_FOUND);
              assertThat(e.object()).contains(missing);
              assertThat(e.getMessage()).contains("HelmRelease/apps/gone");
            });
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void anUnresolvablePathInAnyUnitTouchesNothing() {
    Map<ObjectReference, String> before = snapshot();
    List<BundleUnit> bundle =
        List.of(
            unit("helm", HR, "6.5.1", "spec.chart.spec.version", "6.5.1"),
            unit("shop", SHOP, "2.0.0", "spec.sources[5].targetRevision", "v2.0.0"));
    assertThatThrownBy(() -> applier.apply(bundle))
        .isInstanceOfSatisfying(
            ApplyException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ApplyException.Reason.PATH_UNRESOLVABLE);
              assertThat(e.getMessage())
                  .contains("Application/argocd/shop")
                  .contains("out of range");
            });
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void aPatchTheApiServerRefusesRevertsTheObjectsAlreadyPatched() {
    String hrSpec = get(HR).path("spec").toString();
    kube.failNextPatch(
        "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/podinfo",
        403,
        "applications.argoproj.io podinfo is forbidden: User system:serviceaccount:kapro:agent cannot patch");
    List<BundleUnit> bundle =
        List.of(
            unit("helm", HR, "6.5.1", "spec.chart.spec.version", "6.5.1"),
            unit("argo-chart", APP, "6.5.1", "spec.source.targetRevision", "6.5.1"));
    assertThatThrownBy(() -> applier.apply(bundle))
        .isInstanceOfSatisfying(
            ApplyException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ApplyException.Reason.APPLY_FAILED);
              assertThat(e.getMessage())
                  .contains("Application/argocd/podinfo")
                  .contains("is forbidden");
            });
    assertThat(get(HR).path("spec").toString()).isEqualTo(hrSpec);
    assertThat(get(APP).path("spec").path("source").path("targetRevision").asText())
        .isEqualTo("6.5.0");
  }

  @Test
  void oneObjectTwoUnitsGetOnePatch() {
    List<BundleUnit> bundle =
        List.of(
            unit("shop-chart", SHOP, "3.2.0", "spec.sources[0].targetRevision", "3.2.0"),
            unit("shop-config", SHOP, "2.0.0", "spec.sources[1].targetRevision", "v2.0.0"));
    List<AppliedObject> applied = applier.apply(bundle);
    assertThat(applied).singleElement().satisfies(a -> assertThat(a.units()).hasSize(2));
    awaitPhase(applied, "shop-chart", ConvergencePhase.CONVERGED);
    awaitPhase(applied, "shop-config", ConvergencePhase.CONVERGED);
    assertThat(judge.observe(applied).get("shop-chart").observedRevision()).startsWith("3.2.0,");
  }

  void awaitPhase(List<AppliedObject> applied, String unit, ConvergencePhase phase) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Judgement j = judge.observe(applied).get(unit);
              assertThat(j.phase())
                  .as(
                      "%s: %s / %s",
                      unit, j.message(), get(applied.getFirst().ref()).path("status"))
                  .isEqualTo(phase);
            });
  }

  static String valueAt(JsonNode object, String path) {
    JsonNode node = object;
    for (FieldPath.Step step : FieldPath.parse(path).steps()) {
      node =
          switch (step) {
            case FieldPath.Key k -> node.path(k.name());
            case FieldPath.Index i -> node.path(i.index());
            case FieldPath.Match m -> {
              JsonNode found = null;
              for (JsonNode el : node) {
                if (el.path(m.key()).asText().equals(m.value())
                    || (el.isTextual() && ImageRefs.nameOf(el.textValue()).equals(m.value()))) {
                  found = el;
                }
              }
              yield found;
            }
            default -> throw new IllegalArgumentException();
          };
    }
    return node.asText();
  }
}
