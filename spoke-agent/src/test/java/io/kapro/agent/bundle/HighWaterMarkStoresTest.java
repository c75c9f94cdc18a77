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
          new SecretHighWaterMarkStore(
              io.kapro.agent.kube.MockKubes.client(kube), "kapro-system", "kapro-agent-state");
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
  void anUnreadableCopyFailsTheLoadEvenWhenAnotherAnswers() throws Exception {
    try (MockKube kube = new MockKube()) {
      FileHighWaterMarkStore file = new FileHighWaterMarkStore(dir);
      SecretHighWaterMarkStore secret =
          new SecretHighWaterMarkStore(
              io.kapro.agent.kube.MockKubes.client(kube), "kapro-system", "kapro-agent-state");
      MirroredHighWaterMarkStore both = new MirroredHighWaterMarkStore(List.of(file, secret));

      // a damaged file next to a good Secret: refused, not skipped
      secret.save(new HighWaterMark(5, D2));
      Files.writeString(dir.resolve("high-water-mark"), "garbage");
      assertThatThrownBy(both::load)
          .isInstanceOf(BundleStateException.class)
          .hasMessageContaining("high-water-mark");

      // a wiped state directory next to a Secret RBAC refuses: an empty file says nothing
      Files.delete(dir.resolve("high-water-mark"));
      kube.failGets(
          "/api/v1/namespaces/kapro-system/secrets/kapro-agent-state",
          403,
          "secrets \"kapro-agent-state\" is forbidden",
          1);
      assertThatThrownBy(both::load)
          .isInstanceOf(BundleStateException.class)
          .hasMessageContaining("Secret kapro-system/kapro-agent-state")
          .hasMessageContaining("forbidden");

      // both readable again: the higher mark, as before
      assertThat(both.load()).contains(new HighWaterMark(5, D2));
    }
  }

  @Test
  void aMarkOutsideTheBundleSequenceRangeIsRefusedInBothStores() throws Exception {
    try (MockKube kube = new MockKube()) {
      FileHighWaterMarkStore file = new FileHighWaterMarkStore(dir);
      Files.writeString(dir.resolve("high-water-mark"), "9007199254740992 " + D1);
      assertThatThrownBy(file::load).isInstanceOf(BundleStateException.class);
      Files.writeString(dir.resolve("high-water-mark"), "9007199254740991 " + D1);
      assertThat(file.load()).contains(new HighWaterMark(9007199254740991L, D1));
      assertThatThrownBy(() -> new HighWaterMark(9007199254740992L, D1))
          .hasMessageContaining("between 0 and 9007199254740991");

      kube.client()
          .secrets()
          .inNamespace("kapro-system")
          .resource(
              new io.fabric8.kubernetes.api.model.SecretBuilder()
                  .withNewMetadata()
                  .withName("kapro-agent-state")
                  .endMetadata()
                  .addToData("sequence", b64("9007199254740992"))
                  .addToData("digest", b64(D1))
                  .build())
          .create();
      SecretHighWaterMarkStore secret =
          new SecretHighWaterMarkStore(
              io.kapro.agent.kube.MockKubes.client(kube), "kapro-system", "kapro-agent-state");
      assertThatThrownBy(secret::load).isInstanceOf(BundleStateException.class);
    }
  }

  static String b64(String s) {
    return java.util.Base64.getEncoder()
        .encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
