package io.kapro.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.api.v1alpha2.OnFailure;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

  @Test
  void defaultsAreFiveClustersHaltAndAShortSoak() {
    DemoOptions o = DemoOptions.parse();
    assertThat(o.clusters()).isEqualTo(5);
    assertThat(o.fail()).isEmpty();
    assertThat(o.onFailure()).isEqualTo(OnFailure.Halt);
    assertThat(o.soak()).isEqualTo(Duration.ofSeconds(5));
    assertThat(DemoOptions.clusterNames(5))
        .containsExactly("canary-eu-1", "prod-eu-1", "prod-us-1", "prod-eu-2", "prod-us-2");
  }

  @Test
  void readsEveryFlag() {
    DemoOptions o =
        DemoOptions.parse(
            "--clusters",
            "7",
            "--fail",
            "prod-us-3",
            "--on-failure",
            "Rollback",
            "--layout",
            "--keep",
            "--soak",
            "1m30s");
    assertThat(o.clusters()).isEqualTo(7);
    assertThat(o.fail()).contains("prod-us-3");
    assertThat(o.onFailure()).isEqualTo(OnFailure.Rollback);
    assertThat(o.layout()).isTrue();
    assertThat(o.keep()).isTrue();
    assertThat(o.soak()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void hostileArgumentsAreAllReportedWithTheFlagAndTheFix() {
    assertThatThrownBy(
            () ->
                DemoOptions.parse(
                    "--clusters", "1e9", "--on-failure", "explode", "--soak", "-5s", "--bogus"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--clusters '1e9': give a number from 2 to 50")
        .hasMessageContaining("--on-failure 'explode': use halt or rollback")
        .hasMessageContaining("--soak '-5s'")
        .hasMessageContaining("unknown argument '--bogus'");
    assertThatThrownBy(() -> DemoOptions.parse("--clusters", "1"))
        .hasMessageContaining("from 2 to 50");
    assertThatThrownBy(() -> DemoOptions.parse("--clusters", "51"))
        .hasMessageContaining("from 2 to 50");
    assertThatThrownBy(() -> DemoOptions.parse("--fail"))
        .hasMessageContaining("--fail needs a value");
    assertThatThrownBy(() -> DemoOptions.parse("--fail", "--keep"))
        .hasMessageContaining("--fail needs a value");
    assertThatThrownBy(() -> DemoOptions.parse("--clusters", "3", "--fail", "prod-us-2"))
        .hasMessageContaining("--fail 'prod-us-2': no such cluster")
        .hasMessageContaining("prod-us-1");
    assertThatThrownBy(() -> DemoOptions.parse("--untrusted-key", "../../etc"))
        .hasMessageContaining("no such cluster");
  }
}
