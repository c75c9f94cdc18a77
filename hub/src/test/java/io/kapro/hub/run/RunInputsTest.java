package io.kapro.hub.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Approval;
import io.kapro.api.v1alpha2.ApprovalSpec;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterStatus;
import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.GateStatus;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.PromotionRunSpec;
import io.kapro.api.v1alpha2.ProvenVersion;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.TargetSpec;
import io.kapro.api.v1alpha2.TargetStatus;
import io.kapro.hub.engine.ClusterState;
import io.kapro.hub.engine.EngineDecision;
import io.kapro.hub.engine.EngineInput;
import io.kapro.hub.engine.EngineResult;
import io.kapro.hub.engine.Reachability;
import io.kapro.hub.engine.RunEngine;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the reconciler hands the engine, including objects someone else wrote badly. */
class RunInputsTest {
  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

  static PromotionRun run() {
    PromotionRun r = new PromotionRun();
    r.getMetadata().setName("run-1");
    r.getMetadata().setNamespace("default");
    r.getMetadata().setCreationTimestamp("2026-11-22T11:00:00Z");
    r.setSpec(new PromotionRunSpec()); // no units, no plan snapshot
    return r;
  }

  static Target target(String name, String stage, String cluster, Integer wave) {
    Target t = new Target();
    t.getMetadata().setName(name);
    TargetSpec spec = new TargetSpec();
    spec.setRun("run-1");
    spec.setStage(stage);
    spec.setCluster(cluster);
    spec.setWave(wave);
    t.setSpec(spec);
    return t;
  }

  @Test
  void emptyAndBrokenObjectsBecomeAnInvalidSpecNotAnException() {
    Target noSpec = new Target();
    noSpec.getMetadata().setName("stray");
    Target noStatus = target("t1", "prod", "c1", null);
    Target weird = target("t2", null, null, 3);
    TargetStatus status = new TargetStatus();
    status.setSince("yesterday");
    GateStatus gate = new GateStatus();
    gate.setName("g"); // no type, no result
    status.setGates(Arrays.asList(gate));
    weird.setStatus(status);
    Approval noDecision = new Approval();
    noDecision.getMetadata().setName("a1");
    noDecision.setSpec(new ApprovalSpec());
    Approval unknownTarget = new Approval();
    unknownTarget.getMetadata().setName("a2");
    ApprovalSpec spec = new ApprovalSpec();
    spec.setRun("run-1");
    spec.setTarget("no-such-target");
    spec.setDecision(io.kapro.api.v1alpha2.Decision.Approve);
    unknownTarget.setSpec(spec);
    Cluster bare = new Cluster();
    bare.getMetadata().setName("c1");

    EngineInput in =
        RunInputs.input(
            run(),
            false,
            null,
            List.of(bare),
            List.of(noSpec, noStatus, weird),
            List.of(noSpec, weird),
            List.of(noDecision, unknownTarget),
            NOW);
    assertThat(in.targets()).hasSize(2);
    assertThat(in.targets().get(0).phase()).isEqualTo(TargetPhase.Pending);
    assertThat(in.targets().get(0).wave()).isEqualTo(1);
    assertThat(in.targets().get(1).wave()).isEqualTo(4);
    assertThat(in.approvals()).isEmpty();
    assertThat(in.claims()).isEmpty();
    assertThat(in.clusters())
        .singleElement()
        .satisfies(c -> assertThat(c.connectivity()).isEqualTo(Reachability.Unknown));
    assertThat(in.run().startedAt()).isEqualTo(Instant.parse("2026-11-22T11:00:00Z"));

    EngineResult r = RunEngine.decide(in);
    assertThat(r.decisions().get(0))
        .isInstanceOfSatisfying(
            EngineDecision.RejectSpec.class,
            x -> assertThat(x.problems()).extracting(p -> p.path()).contains("spec", "spec.units"));
  }

  @Test
  void clusterConnectivityAndVersionsAreRead() {
    Cluster c = new Cluster();
    c.getMetadata().setName("c1");
    c.getMetadata().setLabels(Map.of("ring", "prod"));
    ClusterStatus s = new ClusterStatus();
    Condition connected = new Condition();
    connected.setType(Kapro.ConditionTypes.CONNECTED);
    connected.setStatus(ConditionStatus.False);
    s.setConditions(List.of(connected));
    ProvenVersion v = new ProvenVersion();
    v.setVersion("1.4.0");
    Map<String, ProvenVersion> versions = new HashMap<>();
    versions.put("web", v);
    versions.put("api", new ProvenVersion()); // no version proven yet
    s.setVersions(versions);
    Map<String, String> previous = new HashMap<>();
    previous.put("web", "1.3.0");
    previous.put("api", null);
    s.setPreviousVersions(previous);
    c.setStatus(s);
    ClusterState state = RunInputs.cluster(c);
    assertThat(state.connectivity()).isEqualTo(Reachability.Disconnected);
    assertThat(state.versions()).containsExactly(Map.entry("web", "1.4.0"));
    assertThat(state.previousVersions()).containsExactly(Map.entry("web", "1.3.0"));
    assertThat(state.rollbackVersion("web", "1.4.0")).isEqualTo("1.3.0");
    assertThat(state.labels()).containsEntry("ring", "prod");
  }
}
