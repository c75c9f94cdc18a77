package io.kapro.hub.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.PromotionRunStatus;
import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.api.v1alpha2.StagePhase;
import io.kapro.api.validation.Violation;
import io.kapro.hub.engine.AuditRecord;
import io.kapro.hub.engine.EngineDecision;
import io.kapro.hub.engine.EngineResult;
import io.kapro.hub.engine.RunCounts;
import io.kapro.hub.engine.StageProgress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunStatusWriterTest {
  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  static final RunCounts SUMMARY = new RunCounts(3, 1, 1, 1, 0, 0);

  @Test
  void auditIsBoundedToTheLast50Entries() {
    PromotionRunStatus status = null;
    for (int i = 0; i < 30; i++) {
      List<AuditRecord> audit = new ArrayList<>();
      audit.add(new AuditRecord(NOW, "E" + (2 * i), "m"));
      audit.add(new AuditRecord(NOW, "E" + (2 * i + 1), "m"));
      status =
          RunStatusWriter.next(
              status, 1L, new EngineResult(List.of(), SUMMARY, audit, null, null), NOW, NOW);
    }
    assertThat(status.getAudit()).hasSize(50);
    assertThat(status.getAudit().get(0).getEvent()).isEqualTo("E10");
    assertThat(status.getAudit().get(49).getEvent()).isEqualTo("E59");
  }

  @Test
  void wavesAreZeroBasedInTheApiAndLatchesAreFolded() {
    var stage = new StageProgress("prod", StagePhase.Running, 2, NOW, null, null);
    var result =
        new EngineResult(
            List.of(
                new EngineDecision.StageTransition(StagePhase.Pending, stage),
                new EngineDecision.RunTransition(RunPhase.Pending, RunPhase.Running, null)),
            SUMMARY,
            List.of(),
            null,
            null);
    PromotionRunStatus s = RunStatusWriter.next(null, 4L, result, NOW, NOW);
    assertThat(s.getStages())
        .singleElement()
        .satisfies(
            st -> {
              assertThat(st.getCurrentWave()).isEqualTo(1);
              assertThat(st.getPhase()).isEqualTo(io.kapro.api.v1alpha2.StagePhase.Running);
              assertThat(st.getStartedAt()).isEqualTo("2026-11-22T12:00:00Z");
            });
    assertThat(s.getPhase()).isEqualTo(io.kapro.api.v1alpha2.RunPhase.Running);
    assertThat(s.getSummary().getInFlight()).isEqualTo(1);
    assertThat(s.getObservedGeneration()).isEqualTo(4L);
    assertThat(s.getFinishedAt()).isNull();
    assertThat(Conditions.isTrue(s.getConditions(), Kapro.ConditionTypes.READY)).isTrue();
  }

  @Test
  void anInvalidSpecIsReadyFalseWithTheFieldAndStaysSo() {
    var result =
        new EngineResult(
            List.of(
                new EngineDecision.RejectSpec(
                    List.of(
                        new Violation("spec.stages[0].dependsOn", "dependency cycle a → b → a"))),
                new EngineDecision.RunTransition(
                    RunPhase.Pending, RunPhase.Failed, "InvalidSpec: …")),
            SUMMARY,
            List.of(),
            null,
            null);
    PromotionRunStatus s = RunStatusWriter.next(null, 1L, result, NOW, NOW);
    var ready = Conditions.find(s.getConditions(), Kapro.ConditionTypes.READY).orElseThrow();
    assertThat(ready.getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(ready.getReason()).isEqualTo(Kapro.Reasons.INVALID_SPEC);
    assertThat(ready.getMessage())
        .isEqualTo("spec.stages[0].dependsOn: dependency cycle a → b → a");
    assertThat(s.getFinishedAt()).isEqualTo("2026-11-22T12:00:00Z");
    PromotionRunStatus again =
        RunStatusWriter.next(
            s, 1L, new EngineResult(List.of(), SUMMARY, List.of(), null, null), NOW, NOW);
    assertThat(again).isEqualTo(s);
  }

  /**
   * What the engine says about where the run stands (here: waiting for an unreachable cluster) is
   * in the Ready message, which kubectl describe and kapro status show; a terminal run's reason
   * stays when later steps have nothing to add.
   */
  @Test
  void theEnginesMessageIsInTheReadyCondition() {
    String waiting =
        "waiting for unreachable cluster(s) [prod/c1 (cluster c1 is AirGapped)] up to their"
            + " stage's maxWait after publication";
    PromotionRunStatus s =
        RunStatusWriter.next(
            null,
            1L,
            new EngineResult(
                List.of(new EngineDecision.RunTransition(RunPhase.Pending, RunPhase.Running, null)),
                SUMMARY,
                List.of(),
                null,
                waiting),
            NOW,
            NOW);
    var ready = Conditions.find(s.getConditions(), Kapro.ConditionTypes.READY).orElseThrow();
    assertThat(ready.getMessage()).isEqualTo("run Running: " + waiting);
    s =
        RunStatusWriter.next(
            s, 1L, new EngineResult(List.of(), SUMMARY, List.of(), null, null), NOW, NOW);
    ready = Conditions.find(s.getConditions(), Kapro.ConditionTypes.READY).orElseThrow();
    assertThat(ready.getMessage()).as("the cluster came back").isEqualTo("run Running");

    s =
        RunStatusWriter.next(
            s,
            1L,
            new EngineResult(
                List.of(
                    new EngineDecision.RunTransition(RunPhase.Running, RunPhase.Halted, "prod: x")),
                SUMMARY,
                List.of(),
                null,
                "prod: x"),
            NOW,
            NOW);
    PromotionRunStatus again =
        RunStatusWriter.next(
            s, 1L, new EngineResult(List.of(), SUMMARY, List.of(), null, null), NOW, NOW);
    assertThat(Conditions.find(again.getConditions(), Kapro.ConditionTypes.READY))
        .get()
        .extracting(c -> c.getMessage())
        .isEqualTo("run Halted: prod: x");
    assertThat(again).isEqualTo(s);
  }
}
