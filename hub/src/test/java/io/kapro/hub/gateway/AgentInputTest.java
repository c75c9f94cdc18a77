package io.kapro.hub.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.BundleRejection;
import io.kapro.agent.v1.Evidence;
import io.kapro.agent.v1.FieldDrift;
import io.kapro.agent.v1.Hello;
import io.kapro.agent.v1.ObservedCondition;
import io.kapro.agent.v1.UnitEvidence;
import org.junit.jupiter.api.Test;

class AgentInputTest {
  private static final String HUGE = "x".repeat(10_000);

  @Test
  void everyStringAndListAnAgentSendsIsCappedInOnePlace() {
    UnitEvidence.Builder unit =
        UnitEvidence.newBuilder()
            .setUnit(HUGE)
            .setObservedRevision(HUGE)
            .setObservedDigest(HUGE)
            .setDesiredVersion(HUGE)
            .setMessage(HUGE)
            .setOwnerConflict(HUGE);
    for (int i = 0; i < 40; i++) {
      unit.addConditions(
          ObservedCondition.newBuilder()
              .setType(HUGE)
              .setStatus(HUGE)
              .setReason(HUGE)
              .setMessage(HUGE));
      unit.addDrift(FieldDrift.newBuilder().setPath(HUGE).setDesired(HUGE).setObserved(HUGE));
    }
    Evidence.Builder e = Evidence.newBuilder().setNumber(1).setBundleDigest(HUGE);
    for (int i = 0; i < 100; i++) {
      e.addUnits(unit);
    }
    Evidence bounded =
        AgentInput.bound(AgentMessage.newBuilder().setEvidence(e).build()).getEvidence();

    assertThat(bounded.getBundleDigest()).hasSize(AgentInput.MAX_VALUE).endsWith("…");
    assertThat(bounded.getUnitsList()).hasSize(AgentInput.MAX_UNITS);
    UnitEvidence u = bounded.getUnits(0);
    assertThat(u.getUnit()).hasSize(AgentInput.MAX_NAME);
    assertThat(u.getObservedRevision()).hasSize(AgentInput.MAX_VALUE);
    assertThat(u.getObservedDigest()).hasSize(AgentInput.MAX_VALUE);
    assertThat(u.getDesiredVersion()).hasSize(AgentInput.MAX_VALUE);
    assertThat(u.getMessage()).hasSize(AgentInput.MAX_TEXT);
    assertThat(u.getOwnerConflict()).hasSize(AgentInput.MAX_TEXT);
    assertThat(u.getConditionsList()).hasSize(AgentInput.MAX_CONDITIONS);
    assertThat(u.getConditions(0).getReason()).hasSize(AgentInput.MAX_NAME);
    assertThat(u.getConditions(0).getMessage()).hasSize(AgentInput.MAX_TEXT);
    assertThat(u.getDriftList()).hasSize(AgentInput.MAX_DRIFT);
    assertThat(u.getDrift(0).getPath()).hasSize(AgentInput.MAX_NAME);
    assertThat(u.getDrift(0).getObserved()).hasSize(AgentInput.MAX_VALUE);

    BundleRejection r =
        AgentInput.bound(
                AgentMessage.newBuilder()
                    .setRejection(BundleRejection.newBuilder().setNumber(2).setDetail(HUGE))
                    .build())
            .getRejection();
    assertThat(r.getDetail()).hasSize(AgentInput.MAX_TEXT);
    Hello h =
        AgentInput.bound(
                AgentMessage.newBuilder()
                    .setHello(Hello.newBuilder().setAgentVersion(HUGE).addCapabilities(HUGE))
                    .build())
            .getHello();
    assertThat(h.getAgentVersion()).hasSize(AgentInput.MAX_VALUE);
    assertThat(h.getCapabilities(0)).hasSize(AgentInput.MAX_NAME);
  }

  @Test
  void shortInputIsUnchangedAndASurrogatePairIsNeverSplit() {
    AgentMessage m = TestStream.evidence(3, "6.5.1");
    assertThat(AgentInput.bound(m)).isEqualTo(m);
    String emoji = "a".repeat(AgentInput.MAX_TEXT - 2) + "\uD83D\uDE00" + "tail";
    String capped = AgentInput.cap(emoji, AgentInput.MAX_TEXT);
    assertThat(capped).endsWith("…").doesNotContain("\uD83D…");
    assertThat(capped.length()).isLessThanOrEqualTo(AgentInput.MAX_TEXT);
  }
}
