package io.kapro.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.agent.testing.MockKube;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HighWaterMarkStoresTest {
  static final String D1 = "sha256:" + "1".repeat(64);
  static final String D2 = "sha256:" + "2".repeat(64);
  @TempDir Path dir;

  @Test
  void fileRoundTripIsAtomicAndLeavesNoTemporaryFile() throws Exception {
    FileHighWaterMarkStore store = new FileHighWaterMarkStore(dir);
    assertThat(store.load()).isEmpty();
    store.save(new HighWaterMark(7, D1));
    store.save(new HighWaterMark(8, D2));
    assertThat(store.load()).contains(new HighWaterMark(8, D2));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("high-water-mark");
    }
  }

  @Test
  void hostileFileContentIsRefusedWithTheFix() throws Exception {
    FileHighWaterMarkStore store = new FileHighWaterMarkStore(dir);
    for (String bad :
        List.of(
            "",
            "7",
            "-1 " + D1,
            "7 sha256:xyz",
            "99999999999999999999 " + D1,
            "7 " + D1 + " extra",
            "x".repeat(2000))) {
      Files.writeString(dir.resolve("high-water-mark"), bad);
      assertThatThrownBy(store::load)
          .as(bad)
          .isInstanceOf(BundleStateException.class)
          .hasMessageContaining("high-water-mark")
          .hasMessageContaining("delete it");
    }
  }

  @Test
  void theHigherOfFileAndSecretWinsAndBothAreWritten() {
    try (MockKube kube = new MockKube()) {
      FileHighWaterMarkStore file = new FileHighWaterMarkStore(dir);
      SecretHighWaterMarkStore secret =
          new SecretHighWaterMarkStore(kube.client(), "kapro-system", "kapro-agent-state");
      MirroredHighWaterMarkStore both = new MirroredHighWaterMarkStore(List.of(file, secret));
      assertThat(both.load()).isEmpty();

      secret.save(new HighWaterMark(9, D2)); // the state directory was wiped and restored old
      file.save(new HighWaterMark(4, D1));
      assertThat(both.load()).contains(new HighWaterMark(9, D2));

      file.save(new HighWaterMark(12, D1));
      assertThat(both.load()).contains(new HighWaterMark(12, D1));

      both.save(new HighWaterMark(13, D2));
      assertThat(file.load()).contains(new HighWaterMark(13, D2));
      assertThat(secret.load()).contains(new HighWaterMark(13, D2));
      assertThat(both.describe())
          .contains("high-water-mark")
          .contains("Secret kapro-system/kapro-agent-state");
    }
  }

  @Test
  void anUnreadableCopyIsSkippedWhileAnotherAnswers() throws Exception {
    try (MockKube kube = new MockKube()) {
      FileHighWaterMarkStore file = new FileHighWaterMarkStore(dir);
      SecretHighWaterMarkStore secret =
          new SecretHighWaterMarkStore(kube.client(), "kapro-system", "kapro-agent-state");
      secret.save(new HighWaterMark(5, D2));
      Files.writeString(dir.resolve("high-water-mark"), "garbage");
      assertThat(new MirroredHighWaterMarkStore(List.of(file, secret)).load())
          .contains(new HighWaterMark(5, D2));
      assertThatThrownBy(() -> new MirroredHighWaterMarkStore(List.of(file)).load())
          .isInstanceOf(BundleStateException.class);
    }
  }
}
