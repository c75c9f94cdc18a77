package io.kapro.hub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeadershipTest {
  @Test
  void aSingleReplicaAlwaysLeadsAndHasNoElection() {
    Leadership single = Leadership.single();
    assertThat(single.getAsBoolean()).isTrue();
    assertThat(single.configuration()).isEmpty();
  }

  @Test
  void anElectedReplicaLeadsOnlyBetweenStartAndStopOfItsLease() {
    Leadership elected = Leadership.elected("kapro-hub-leader", "kapro-system");
    var config = elected.configuration().orElseThrow();
    assertThat(config.getLeaseName()).isEqualTo("kapro-hub-leader");
    assertThat(config.getLeaseNamespace()).contains("kapro-system");
    assertThat(config.getIdentity()).isPresent();
    assertThat(elected.getAsBoolean()).as("not before the lease is won").isFalse();

    var callbacks = config.getLeaderCallbacks().orElseThrow();
    callbacks.onStartLeading();
    assertThat(elected.getAsBoolean()).isTrue();
    callbacks.onStopLeading();
    assertThat(elected.getAsBoolean()).isFalse();
  }
}
