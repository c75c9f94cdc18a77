package io.kapro.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.agent.apply.AppliedObject;
import io.kapro.agent.config.ManagedKind;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.testing.TestBundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppliedBundleFileTest {
  @TempDir Path dir;

  static AppliedBundle bundle() {
    BundleUnit helm = TestBundles.helmUnit("podinfo", "6.5.4");
    BundleUnit argo = TestBundles.argoUnit("guestbook", "v1.2.0");
    Instant at = Instant.parse("2026-11-22T00:00:00.123456Z");
    return new AppliedBundle(
        3,
        "sha256:" + "a".repeat(64),
        List.of(helm, argo),
        List.of(
            new AppliedObject(
                helm.object(),
                ManagedKind.HELM_RELEASE,
                List.of(helm),
                at.toString(),
                4,
                at,
                false),
            new AppliedObject(
                argo.object(), ManagedKind.APPLICATION, List.of(argo), "", 2, at, true)));
  }

  @Test
  void roundTripKeepsWhatTheJudgeNeeds() {
    AppliedBundleFile file = new AppliedBundleFile(dir);
    assertThat(file.load()).isEmpty();
    file.save(bundle());
    assertThat(file.load()).contains(bundle());
  }

  @Test
  void aCorruptFileIsAnErrorNamingIt() throws Exception {
    Files.writeString(dir.resolve("applied-bundle.json"), "{\"sequence\": \"x\"");
    assertThatThrownBy(() -> new AppliedBundleFile(dir).load())
        .isInstanceOf(BundleStateException.class)
        .hasMessageContaining("applied-bundle.json")
        .hasMessageContaining("delete it");
  }

  @Test
  void loadStateIgnoresAnAppliedBundleThatDoesNotMatchTheMark() {
    AppliedBundleFile file = new AppliedBundleFile(dir);
    file.save(bundle());
    FileHighWaterMarkStore marks = new FileHighWaterMarkStore(dir);
    marks.save(new HighWaterMark(5, "sha256:" + "b".repeat(64))); // the Secret said higher
    PullState state = PullLoop.loadState(marks, file, Clock.systemUTC());
    assertThat(state.lastAppliedSequence()).isEqualTo(5);
    assertThat(state.applied()).isEmpty();
    assertThat(state.currentState()).isEmpty();

    marks.save(bundle().mark());
    assertThat(PullLoop.loadState(marks, file, Clock.systemUTC()).applied())
        .isEqualTo(Optional.of(bundle()));
  }
}
