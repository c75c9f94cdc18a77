package io.kapro.agent.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox in its own JVM, killed with SIGKILL; nothing that an append returned is lost. */
class FileOutboxKillIT {
  @TempDir Path dir;

  private Process start(String mode) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-Xmx32m",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            OutboxChild.class.getName(),
            dir.toString(),
            mode)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  private static void kill(Process p) throws InterruptedException {
    p.destroyForcibly(); // SIGKILL: no shutdown hooks, no close()
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(137);
  }

  @Test
  void killedBetweenAppendAndAckKeepsEveryUnackedItem() throws Exception {
    for (int round = 0; round < 2; round++) {
      Process p = start("batch");
      try (var out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null && !line.equals("ready")) {
          // log lines go to stdout too; only the protocol lines matter
        }
        assertThat(line).isEqualTo("ready");
        kill(p);
      }
      long base = round * 20L;
      try (FileOutbox box = FileOutbox.open(dir)) {
        // Round 0 leaves 6..20 pending; round 1 acks up to 25 (its start + 5), leaving 26..40.
        assertThat(box.lastNumber()).isEqualTo(base + 20);
        assertThat(box.pending())
            .extracting(OutboxItems::number)
            .containsExactlyElementsOf(
                LongStream.rangeClosed(base + 6, base + 20).boxed().toList());
        assertThat(box.pending().get(0).hasEvidence()).isTrue();
      }
    }
  }

  @Test
  void killedWhileAppendingLosesNothingThatWasReported() throws Exception {
    long lastSeen = 0;
    for (int round = 0; round < 3; round++) {
      Process p = start("stream");
      List<Long> reported = new ArrayList<>();
      try (var out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while (reported.size() < 150 && (line = out.readLine()) != null) {
          if (line.startsWith("appended ")) {
            reported.add(Long.parseLong(line.substring("appended ".length())));
          }
        }
        kill(p);
      }
      assertThat(reported.getFirst()).isEqualTo(lastSeen + 1);
      try (FileOutbox box = FileOutbox.open(dir)) {
        List<Long> pending = box.pending().stream().map(OutboxItems::number).toList();
        // Every append that returned is there. The child may have appended a few more before the
        // kill landed (their lines were still in the pipe, which the kill closes), so the bound is
        // from below: no gaps, no duplicates, nothing reported missing.
        assertThat(pending).containsAll(reported);
        assertThat(pending).isSorted().doesNotHaveDuplicates();
        assertThat(pending.getFirst()).isEqualTo(1);
        assertThat(pending.getLast()).isGreaterThanOrEqualTo(reported.getLast());
        assertThat(pending).hasSize(pending.getLast().intValue());
        lastSeen = box.lastNumber();
      }
    }
  }
}
