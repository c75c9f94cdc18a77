package io.kapro.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.kapro.api.KaproApiException;
import io.kapro.api.v1alpha2.Backend;
import io.kapro.api.v1alpha2.FleetSpec;
import io.kapro.api.v1alpha2.FleetUnit;
import io.kapro.api.v1alpha2.Gate;
import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.LabelSelector;
import io.kapro.api.v1alpha2.LayoutSpec;
import io.kapro.api.v1alpha2.ObjectRef;
import io.kapro.api.v1alpha2.Plan;
import io.kapro.api.v1alpha2.PlanSpec;
import io.kapro.api.v1alpha2.RegistrySpec;
import io.kapro.api.v1alpha2.SecretKeyRef;
import io.kapro.api.v1alpha2.SigningSpec;
import io.kapro.api.v1alpha2.SoakGate;
import io.kapro.api.v1alpha2.Stage;
import io.kapro.api.v1alpha2.UnitKind;
import io.kapro.api.v1alpha2.VersionField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecValidatorTest {

  static Stage stage(String name, String... dependsOn) {
    Stage s = new Stage();
    s.setName(name);
    LabelSelector sel = new LabelSelector();
    sel.setMatchLabels(Map.of("stage", name));
    s.setSelector(sel);
    if (dependsOn.length > 0) {
      s.setDependsOn(new ArrayList<>(List.of(dependsOn)));
    }
    return s;
  }

  static PlanSpec plan(Stage... stages) {
    PlanSpec p = new PlanSpec();
    p.setStages(new ArrayList<>(List.of(stages)));
    return p;
  }

  static List<String> paths(List<Violation> v) {
    return v.stream().map(Violation::path).toList();
  }

  @Test
  void validDagPasses() {
    assertThat(
            SpecValidator.validatePlan(
                plan(
                    stage("dev"),
                    stage("canary", "dev"),
                    stage("eu", "canary"),
                    stage("us", "canary"),
                    stage("rest", "eu", "us"))))
        .isEmpty();
  }

  @Test
  void twoStageCycleIsReportedOnceWithItsPath() {
    List<Violation> v = SpecValidator.validatePlan(plan(stage("a", "b"), stage("b", "a")));
    assertThat(v)
        .containsExactly(
            new Violation(
                "spec.stages[0].dependsOn",
                "dependency cycle a -> b -> a; remove one of these dependsOn entries"));
  }

  @Test
  void longerCycleBehindAValidPrefixIsFound() {
    List<Violation> v =
        SpecValidator.validatePlan(
            plan(stage("dev"), stage("x", "dev", "z"), stage("y", "x"), stage("z", "y")));
    assertThat(v)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.path()).isEqualTo("spec.stages[1].dependsOn");
              assertThat(e.message()).contains("x -> z -> y -> x");
            });
  }

  @Test
  void unknownAndDuplicateDependenciesNameTheEntry() {
    List<Violation> v =
        SpecValidator.validatePlan(
            plan(stage("canary"), stage("prod", "canary", "canry", "canary")));
    assertThat(v)
        .containsExactly(
            new Violation(
                "spec.stages[1].dependsOn[1]",
                "unknown stage \"canry\"; name one of [canary, prod]"),
            new Violation(
                "spec.stages[1].dependsOn[2]", "lists \"canary\" twice; remove the duplicate"));
  }

  @Test
  void selfDependencyAndDuplicateNames() {
    List<Violation> v = SpecValidator.validatePlan(plan(stage("prod", "prod"), stage("prod")));
    assertThat(paths(v)).containsExactly("spec.stages[1].name", "spec.stages[0].dependsOn[0]");
    assertThat(v.get(0).message()).contains("duplicate stage name \"prod\" (also spec.stages[0])");
  }

  @Test
  void emptyPlanAndBadNames() {
    assertThat(paths(SpecValidator.validatePlan(plan()))).containsExactly("spec.stages");
    assertThat(paths(SpecValidator.validatePlan(null))).containsExactly("spec");
    Stage bad = stage("Prod_EU");
    bad.setSelector(null);
    assertThat(paths(SpecValidator.validatePlan(plan(bad))))
        .containsExactly("spec.stages[0].name", "spec.stages[0].selector");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "100%|",
        "1,100%|",
        "1,3,10%,50%,100%|",
        "0,100%|spec.stages[0].waves[0]",
        "10,100%|",
        "1%,0%,100%|spec.stages[0].waves[1]",
        "150%|spec.stages[0].waves[0]",
        "50%,25%,100%|spec.stages[0].waves[1]",
        "3,2,100%|spec.stages[0].waves[1]",
        "10%,2,100%|spec.stages[0].waves[1]",
        "1,50%|spec.stages[0].waves[1]",
        "1|spec.stages[0].waves[0]",
        "ten%,100%|spec.stages[0].waves[0]",
      })
  void waves(String waves, String expectedPath) {
    Stage s = stage("prod");
    s.setWaves(List.of(waves.split(",")));
    List<Violation> v = SpecValidator.validatePlan(plan(s));
    if (expectedPath == null) {
      assertThat(v).isEmpty();
    } else {
      assertThat(paths(v)).containsExactly(expectedPath);
      assertThat(v.get(0).message()).isNotBlank();
    }
  }

  @Test
  void emptyWaveListIsAnError() {
    Stage s = stage("prod");
    s.setWaves(List.of());
    assertThat(paths(SpecValidator.validatePlan(plan(s)))).containsExactly("spec.stages[0].waves");
  }

  @ParameterizedTest(name = "{0} valid={1}")
  @CsvSource({
    "30s,true",
    "1h30m,true",
    "1.5h,true",
    "250ms,true",
    "0s,false",
    "5 m,false",
    "-5m,false",
    "5,false",
    "m,false",
    "5d,false"
  })
  void durations(String duration, boolean valid) {
    Stage s = stage("prod");
    s.setTimeout(duration);
    List<Violation> v = SpecValidator.validatePlan(plan(s));
    if (valid) {
      assertThat(v).isEmpty();
    } else {
      assertThat(v)
          .singleElement()
          .satisfies(e -> assertThat(e.path()).isEqualTo("spec.stages[0].timeout"));
    }
  }

  @Test
  void boundsAndGates() {
    Stage s = stage("prod");
    s.setMaxParallel(0);
    s.setMaxUnavailable(new IntOrString("120%"));
    Gate soak = new Gate();
    soak.setName("wait");
    soak.setType(GateType.Soak);
    Gate stray = new Gate();
    stray.setName("wait");
    stray.setType(GateType.Approval);
    SoakGate sg = new SoakGate();
    sg.setDuration("10m");
    stray.setSoak(sg);
    s.setGates(List.of(soak, stray));
    assertThat(paths(SpecValidator.validatePlan(plan(s))))
        .containsExactly(
            "spec.stages[0].maxParallel",
            "spec.stages[0].maxUnavailable",
            "spec.stages[0].gates[0].soak",
            "spec.stages[0].gates[1].name",
            "spec.stages[0].gates[1].soak");
  }

  @Test
  void validatePlanObjectAndRequireValid() {
    Plan p = new Plan();
    p.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("bad").build());
    p.setSpec(plan(stage("a", "a")));
    assertThat(SpecValidator.validate(p)).hasSize(1);
    assertThatThrownBy(() -> SpecValidator.requireValid(p))
        .isInstanceOfSatisfying(
            KaproApiException.class,
            e -> assertThat(e.reason()).isEqualTo(KaproApiException.Reason.INVALID_SPEC))
        .hasMessage(
            "Plan bad: spec.stages[0].dependsOn[0]: stage \"a\" depends on itself; remove it from dependsOn");
  }

  static FleetSpec fleet() {
    FleetSpec f = new FleetSpec();
    RegistrySpec r = new RegistrySpec();
    r.setUrl("127.0.0.1:5000");
    f.setRegistry(r);
    SigningSpec s = new SigningSpec();
    SecretKeyRef k = new SecretKeyRef();
    k.setName("key");
    s.setKeySecretRef(k);
    f.setSigning(s);
    f.setUnits(
        new ArrayList<>(List.of(unit("web", UnitKind.HelmRelease, VersionField.chartVersion))));
    return f;
  }

  static FleetUnit unit(String name, UnitKind kind, VersionField field) {
    FleetUnit u = new FleetUnit();
    u.setName(name);
    u.setKind(kind);
    u.setBackend(kind.backend());
    ObjectRef ref = new ObjectRef();
    ref.setNamespace("apps");
    ref.setName(name);
    u.setObjectRef(ref);
    u.setField(field);
    return u;
  }

  @Test
  void validFleetPasses() {
    FleetSpec f = fleet();
    FleetUnit img = unit("img", UnitKind.Kustomization, VersionField.image);
    img.setImage("ghcr.io/acme/web");
    f.getUnits().add(img);
    FleetUnit param = unit("chart", UnitKind.Application, VersionField.helmParameter);
    param.setParameter("image.tag");
    f.getUnits().add(param);
    assertThat(SpecValidator.validateFleet(f)).isEmpty();
  }

  @Test
  void registryAndLayoutAreExclusive() {
    FleetSpec both = fleet();
    LayoutSpec l = new LayoutSpec();
    l.setPath("/data/layout");
    both.setLayout(l);
    assertThat(paths(SpecValidator.validateFleet(both))).containsExactly("spec.layout");
    FleetSpec neither = fleet();
    neither.setRegistry(null);
    assertThat(SpecValidator.validateFleet(neither))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.path()).isEqualTo("spec");
              assertThat(v.message()).contains("exactly one of registry");
            });
    FleetSpec relative = fleet();
    relative.setRegistry(null);
    LayoutSpec rel = new LayoutSpec();
    rel.setPath("layout");
    relative.setLayout(rel);
    assertThat(paths(SpecValidator.validateFleet(relative))).containsExactly("spec.layout.path");
  }

  @Test
  void unitFieldsMustSuitTheKind() {
    FleetSpec f = fleet();
    FleetUnit wrongBackend = unit("argo", UnitKind.Application, VersionField.targetRevision);
    wrongBackend.setBackend(Backend.Flux);
    FleetUnit wrongField = unit("oci", UnitKind.OCIRepository, VersionField.gitTag);
    FleetUnit noImage = unit("kust", UnitKind.Kustomization, VersionField.image);
    FleetUnit strayParam = unit("hr", UnitKind.HelmRelease, VersionField.chartVersion);
    strayParam.setParameter("x");
    FleetUnit dup = unit("web", UnitKind.HelmRelease, VersionField.chartVersion);
    f.getUnits().addAll(List.of(wrongBackend, wrongField, noImage, strayParam, dup));
    List<Violation> v = SpecValidator.validateFleet(f);
    assertThat(paths(v))
        .containsExactly(
            "spec.units[1].backend",
            "spec.units[2].field",
            "spec.units[3].image",
            "spec.units[4].parameter",
            "spec.units[5].name");
    assertThat(v.get(0).message())
        .isEqualTo("kind Application belongs to backend ArgoCD; set backend: ArgoCD");
    assertThat(v.get(1).message())
        .isEqualTo(
            "field gitTag applies to kind GitRepository; for kind OCIRepository use one of ociTag, ociDigest, ociSemver");
  }

  @Test
  void fleetDurationsAndIntervals() {
    FleetSpec f = fleet();
    f.setBundleTTL("1m");
    f.setReissueBefore("2h");
    f.setHeartbeatIntervalSeconds(0);
    f.getRegistry().setUrl("not a url");
    assertThat(paths(SpecValidator.validateFleet(f)))
        .containsExactly(
            "spec.registry.url",
            "spec.bundleTTL",
            "spec.reissueBefore",
            "spec.heartbeatIntervalSeconds");
  }

  @Test
  void aBundleTtlAboveSevenDaysIsRefusedSoAFreezeCannotHideLonger() {
    FleetSpec f = fleet();
    f.setBundleTTL("169h");
    assertThat(SpecValidator.validateFleet(f))
        .singleElement()
        .satisfies(v -> assertThat(v.toString()).contains("spec.bundleTTL").contains("168h"));
    f.setBundleTTL("168h");
    assertThat(SpecValidator.validateFleet(f)).isEmpty();
  }
}
