package io.kapro.hub.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Approval;
import io.kapro.api.v1alpha2.ApprovalSpec;
import io.kapro.api.v1alpha2.BundleRef;
import io.kapro.api.v1alpha2.Decision;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.PromotionRunSpec;
import io.kapro.api.v1alpha2.PromotionRunStatus;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.api.v1alpha2.StageStatus;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.TargetSpec;
import io.kapro.api.v1alpha2.TargetStatus;
import io.kapro.api.v1alpha2.UnitVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Events derived from run and Target status: which, with which keys and ids. */
class TransitionsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static PromotionRun run(RunPhase phase, StageStatus... stages) {
    PromotionRun r = new PromotionRun();
    r.getMetadata().setName("shop-1-abc");
    r.getMetadata().setNamespace("default");
    r.getMetadata().setUid("uid-run");
    r.getMetadata().setLabels(Map.of(Kapro.Labels.FLEET, "shop", Kapro.Labels.PROMOTION, "shop-1"));
    PromotionRunSpec spec = new PromotionRunSpec();
    UnitVersion u = new UnitVersion();
    u.setName("web");
    u.setVersion("1.0");
    spec.setUnits(List.of(u));
    r.setSpec(spec);
    PromotionRunStatus s = new PromotionRunStatus();
    s.setPhase(phase);
    s.setStages(List.of(stages));
    r.setStatus(s);
    return r;
  }

  private static StageStatus stage(String name, StagePhase phase, int wave) {
    StageStatus s = new StageStatus();
    s.setName(name);
    s.setPhase(phase);
    s.setCurrentWave(wave);
    return s;
  }

  private static List<String> keys(List<KaproEvent> events) {
    return events.stream().map(KaproEvent::key).toList();
  }

  @Test
  void pendingRunHasNoEventsAndARunningOneHasStartedStageAndWaves() {
    assertThat(
            RunEvents.of(
                run(RunPhase.Pending),
                run(RunPhase.Pending).getStatus(),
                List.of(),
                List.of(),
                NOW))
        .isEmpty();
    PromotionRun r =
        run(
            RunPhase.Running,
            stage("prod", StagePhase.Running, 1),
            stage("later", StagePhase.Pending, 0));
    assertThat(keys(RunEvents.of(r, r.getStatus(), List.of(), List.of(), NOW)))
        .containsExactly(
            "run.started",
            "stage.started/prod",
            "wave.started/prod/0",
            "wave.completed/prod/0",
            "wave.started/prod/1");
  }

  @Test
  void finishedRunAndStagesEndOnceWithTheirTypes() {
    PromotionRun r =
        run(RunPhase.Halted, stage("a", StagePhase.Succeeded, 0), stage("b", StagePhase.Failed, 0));
    var events = RunEvents.of(r, r.getStatus(), List.of(), List.of(), NOW);
    assertThat(events)
        .extracting(KaproEvent::type)
        .containsExactly(
            EventType.RUN_STARTED,
            EventType.STAGE_STARTED,
            EventType.WAVE_STARTED,
            EventType.WAVE_COMPLETED,
            EventType.STAGE_COMPLETED,
            EventType.STAGE_STARTED,
            EventType.WAVE_STARTED,
            EventType.STAGE_FAILED,
            EventType.RUN_HALTED);
    assertThat(events).extracting(KaproEvent::id).doesNotHaveDuplicates();
    assertThat(events.get(0).source()).isEqualTo("/kapro/namespaces/default/fleets/shop");
    assertThat(events.get(0).version()).isEqualTo("web=1.0");
  }

  @Test
  void anAbortedRunEndsWithRunAbortedAWarning() {
    PromotionRun r = run(RunPhase.Aborted, stage("prod", StagePhase.Running, 0));
    var events = RunEvents.of(r, r.getStatus(), List.of(), List.of(), NOW);
    assertThat(events.getLast().type()).isEqualTo(EventType.RUN_ABORTED);
    assertThat(EventType.RUN_ABORTED.type()).isEqualTo("io.kapro.run.aborted");
    assertThat(EventType.RUN_ABORTED.warning()).isTrue();
  }

  @Test
  void supersededBeforeStartingIsOnlySuperseded() {
    PromotionRun r = run(RunPhase.Superseded);
    assertThat(RunEvents.of(r, r.getStatus(), List.of(), List.of(), NOW))
        .extracting(KaproEvent::type)
        .containsExactly(EventType.RUN_SUPERSEDED);
  }

  @Test
  void idsAreStableAcrossDerivationsAndDifferPerSubject() {
    PromotionRun r = run(RunPhase.Running, stage("prod", StagePhase.Running, 0));
    var first = RunEvents.of(r, r.getStatus(), List.of(), List.of(), NOW);
    var again = RunEvents.of(r, r.getStatus(), List.of(), List.of(), NOW.plusSeconds(60));
    assertThat(again)
        .extracting(KaproEvent::id)
        .isEqualTo(first.stream().map(KaproEvent::id).toList());
    r.getMetadata().setUid("uid-other");
    var other = RunEvents.of(r, r.getStatus(), List.of(), List.of(), NOW);
    assertThat(other.get(0).id()).isNotEqualTo(first.get(0).id());
  }

  @Test
  void approvalsOfThisRunAreGrantedOrRejected() {
    PromotionRun r = run(RunPhase.Running, stage("prod", StagePhase.Running, 0));
    Approval yes = approval("ok", "shop-1-abc", Decision.Approve);
    Approval no = approval("no", "shop-1-abc", Decision.Reject);
    Approval otherRun = approval("x", "another", Decision.Approve);
    var events = RunEvents.of(r, r.getStatus(), List.of(), List.of(yes, no, otherRun), NOW);
    assertThat(events)
        .extracting(KaproEvent::type)
        .contains(EventType.APPROVAL_GRANTED, EventType.APPROVAL_REJECTED)
        .filteredOn(t -> t.name().startsWith("APPROVAL"))
        .hasSize(2);
  }

  private static Approval approval(String name, String run, Decision d) {
    Approval a = new Approval();
    a.getMetadata().setName(name);
    a.getMetadata().setUid("uid-" + name);
    ApprovalSpec s = new ApprovalSpec();
    s.setRun(run);
    s.setStage("prod");
    s.setDecision(d);
    s.setApprover("alice");
    a.setSpec(s);
    return a;
  }

  @Test
  void targetReportsPublishedThenItsOutcomePerBundleSequence() {
    Target t = new Target();
    t.getMetadata().setName("shop-1-abc-prod-eu");
    t.getMetadata().setNamespace("default");
    t.getMetadata().setUid("uid-t");
    t.getMetadata().setLabels(Map.of(Kapro.Labels.FLEET, "shop"));
    TargetSpec spec = new TargetSpec();
    spec.setRun("shop-1-abc");
    spec.setStage("prod");
    spec.setCluster("eu");
    spec.setWave(0);
    t.setSpec(spec);
    TargetStatus s = new TargetStatus();
    s.setPhase(TargetPhase.Publishing);
    t.setStatus(s);
    assertThat(TargetEvents.of(t, NOW)).isEmpty();
    BundleRef b = new BundleRef();
    b.setSequence(4L);
    b.setDigest("sha256:ab");
    s.setBundle(b);
    s.setPhase(TargetPhase.Converged);
    assertThat(keys(TargetEvents.of(t, NOW)))
        .containsExactly("target.published/4", "io.kapro.target.converged/4");
    s.setPhase(TargetPhase.Failed);
    b.setSequence(5L);
    assertThat(TargetEvents.of(t, NOW))
        .extracting(KaproEvent::type)
        .containsExactly(EventType.TARGET_PUBLISHED, EventType.TARGET_FAILED);
    assertThat(TargetEvents.of(t, NOW).get(1).cluster()).isEqualTo("eu");
  }
}
