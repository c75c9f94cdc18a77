package io.kapro.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 item 5: the agent's JVM flags ({@link AgentProcess#JVM_FLAGS}, also the chart's) make an
 * OutOfMemoryError on any thread end the process (exit 3), so Kubernetes restarts it; without them
 * the JVM only loses the thread and keeps running half dead. Proved on a real JVM with the same
 * flags (the same capped heap).
 */
class AgentOutOfMemoryIT {

  /** Exhausts the heap on a background thread while the main thread waits forever. */
  public static final class Hog {
    public static void main(String[] args) throws Exception {
      Thread hog =
          new Thread(
              () -> {
                List<long[]> keep = new ArrayList<>();
                while (true) {
                  keep.add(new long[1 << 20]);
                }
              },
              "hog");
      hog.start();
      hog.join();
      System.out.println("still alive after the hog died");
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  @Test
  void anOutOfMemoryErrorOnAnyThreadEndsTheAgentJvm(@TempDir Path dir) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(AgentProcess.flagsFor(AgentProcess.JVM_FLAGS));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Hog.class.getName());
    Path log = dir.resolve("hog.log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
      assertThat(p.exitValue()).isEqualTo(3);
      assertThat(Files.readString(log)).doesNotContain("still alive");
    } finally {
      p.destroyForcibly();
    }
  }
}
