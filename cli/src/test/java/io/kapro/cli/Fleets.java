package io.kapro.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Backend;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterSpec;
import io.kapro.api.v1alpha2.ClusterStatus;
import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.FleetSpec;
import io.kapro.api.v1alpha2.FleetUnit;
import io.kapro.api.v1alpha2.Gate;
import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.LabelSelector;
import io.kapro.api.v1alpha2.Plan;
import io.kapro.api.v1alpha2.PlanSpec;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.PromotionRunSpec;
import io.kapro.api.v1alpha2.PromotionRunStatus;
import io.kapro.api.v1alpha2.ProvenVersion;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.RunSummary;
import io.kapro.api.v1alpha2.Stage;
import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.api.v1alpha2.StageStatus;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.TargetSpec;
import io.kapro.api.v1alpha2.TargetStatus;
import io.kapro.api.v1alpha2.UnitKind;
import io.kapro.api.v1alpha2.UnitVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small fleet written straight to the API server the way the hub would: fleet {@code web} with
 * unit {@code web}; clusters dev-1 (stage dev), prod-1 and prod-2 (stage prod); plan {@code
 * default} (dev, then prod behind an approval gate).
 */
public final class Fleets {
  public static final String NS = "default";

  private Fleets() {}

  public static Fleet fleet(KubernetesClient c, String name) {
    Fleet f = new Fleet();
    f.setMetadata(meta(name));
    FleetSpec spec = new FleetSpec();
    var layout = new io.kapro.api.v1alpha2.LayoutSpec();
    layout.setPath("/var/lib/kapro/layout");
    spec.setLayout(layout);
    FleetUnit u = new FleetUnit();
    u.setName("web");
    u.setBackend(Backend.Flux);
    u.setKind(UnitKind.HelmRelease);
    spec.setUnits(List.of(u));
    LabelSelector sel = new LabelSelector();
    sel.setMatchLabels(Map.of("fleet", name));
    spec.setClusterSelector(sel);
    f.setSpec(spec);
    return c.resource(f).create();
  }

  public static Cluster cluster(
      KubernetesClient c,
      String fleet,
      String name,
      String env,
      String version,
      boolean connected) {
    Cluster cl = new Cluster();
    cl.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(NS)
            .addToLabels("fleet", fleet)
            .addToLabels("env", env)
            .build());
    cl.setSpec(new ClusterSpec());
    Cluster created = c.resource(cl).create();
    ClusterStatus st = new ClusterStatus();
    if (version != null) {
      ProvenVersion pv = new ProvenVersion();
      pv.setVersion(version);
      pv.setSince("2026-11-20T10:00:00Z");
      st.setVersions(Map.of("web", pv));
      st.setVersionSummary("web=" + version);
    }
    Condition cond = new Condition();
    cond.setType(Kapro.ConditionTypes.CONNECTED);
    cond.setStatus(connected ? ConditionStatus.True : ConditionStatus.Unknown);
    cond.setReason(connected ? Kapro.Reasons.AGENT_CONNECTED : Kapro.Reasons.HEARTBEAT_MISSED);
    cond.setLastTransitionTime("2026-11-20T10:00:00Z");
    st.setConditions(List.of(cond));
    st.setLastSeen("2026-11-20T10:00:00Z");
    created.setStatus(st);
    return c.resource(created).updateStatus();
  }

  public static Plan plan(KubernetesClient c, String name) {
    Plan p = new Plan();
    p.setMetadata(meta(name));
    p.setSpec(planSpec());
    return c.resource(p).create();
  }

  public static PlanSpec planSpec() {
    Stage dev = new Stage();
    dev.setName("dev");
    dev.setSelector(selector("dev"));
    Stage prod = new Stage();
    prod.setName("prod");
    prod.setSelector(selector("prod"));
    prod.setDependsOn(List.of("dev"));
    prod.setWaves(List.of("1", "100%"));
    Gate g = new Gate();
    g.setName("change-board");
    g.setType(GateType.Approval);
    g.setApproval(new io.kapro.api.v1alpha2.ApprovalGate());
    prod.setGates(List.of(g));
    PlanSpec spec = new PlanSpec();
    spec.setStages(List.of(dev, prod));
    return spec;
  }

  /** A run of fleet {@code fleet} promoting web to {@code version}. */
  public static PromotionRun run(
      KubernetesClient c, String name, String fleet, String version, RunPhase phase) {
    PromotionRun r = new PromotionRun();
    r.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(NS)
            .addToLabels(Kapro.Labels.FLEET, fleet)
            .build());
    PromotionRunSpec spec = new PromotionRunSpec();
    spec.setPromotion(name);
    spec.setFleet(fleet);
    spec.setPlan("default");
    spec.setSpecHash("abc");
    spec.setUnits(List.of(unit(version)));
    spec.setPlanSnapshot(planSpec());
    r.setSpec(spec);
    PromotionRun created = c.resource(r).create();
    return setPhase(
        c,
        created,
        phase,
        List.of(stage("dev", StagePhase.Succeeded, 0), stage("prod", StagePhase.Waiting, 0)));
  }

  public static PromotionRun setPhase(
      KubernetesClient c, PromotionRun run, RunPhase phase, List<StageStatus> stages) {
    PromotionRun fresh = c.resource(run).get();
    PromotionRunStatus st = new PromotionRunStatus();
    st.setPhase(phase);
    st.setStages(new ArrayList<>(stages));
    RunSummary sum = new RunSummary();
    sum.setTargets(3);
    sum.setConverged(phase == RunPhase.Succeeded ? 3 : 1);
    sum.setFailed(phase == RunPhase.Failed || phase == RunPhase.Halted ? 1 : 0);
    sum.setInFlight(phase == RunPhase.Running ? 2 : 0);
    st.setSummary(sum);
    fresh.setStatus(st);
    return c.resource(fresh).updateStatus();
  }

  public static StageStatus stage(String name, StagePhase phase, int wave) {
    StageStatus s = new StageStatus();
    s.setName(name);
    s.setPhase(phase);
    s.setCurrentWave(wave);
    return s;
  }

  public static Target target(
      KubernetesClient c,
      String run,
      String stage,
      String cluster,
      String version,
      TargetPhase phase,
      TargetStatus status) {
    Target t = new Target();
    t.setMetadata(
        new ObjectMetaBuilder()
            .withName(run + "-" + stage + "-" + cluster)
            .withNamespace(NS)
            .addToLabels(Kapro.Labels.PROMOTION_RUN, run)
            .addToLabels(Kapro.Labels.STAGE, stage)
            .addToLabels(Kapro.Labels.CLUSTER, cluster)
            .addToLabels(Kapro.Labels.PHASE, phase.name())
            .build());
    TargetSpec spec = new TargetSpec();
    spec.setRun(run);
    spec.setStage(stage);
    spec.setCluster(cluster);
    spec.setWave(0);
    spec.setUnits(List.of(unit(version)));
    t.setSpec(spec);
    Target created = c.resource(t).create();
    TargetStatus st = status == null ? new TargetStatus() : status;
    st.setPhase(phase);
    if (st.getSince() == null) {
      st.setSince("2026-11-21T09:00:00Z");
    }
    created.setStatus(st);
    return c.resource(created).updateStatus();
  }

  public static UnitVersion unit(String version) {
    UnitVersion u = new UnitVersion();
    u.setName("web");
    u.setVersion(version);
    return u;
  }

  static LabelSelector selector(String env) {
    LabelSelector s = new LabelSelector();
    s.setMatchLabels(Map.of("env", env));
    return s;
  }

  static io.fabric8.kubernetes.api.model.ObjectMeta meta(String name) {
    return new ObjectMetaBuilder().withName(name).withNamespace(NS).build();
  }

  public static <T extends HasMetadata> T get(KubernetesClient c, Class<T> kind, String name) {
    return c.resources(kind).inNamespace(NS).withName(name).get();
  }
}
