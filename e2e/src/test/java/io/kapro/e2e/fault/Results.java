package io.kapro.e2e.fault;

import io.kapro.e2e.demo.DemoRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** Appends one scenario's outcome to {@code target/fault-matrix.md} (copied into the docs). */
final class Results {
  private Results() {}

  static synchronized void write(String scenario, FaultFleet world, DemoRun.Result r) {
    String notes =
        world.log.stream()
            .filter(
                l ->
                    l.startsWith("invariants held")
                        || l.contains("outage")
                        || l.contains("flapped")
                        || l.contains("409")
                        || l.contains("SIGKILL")
                        || l.contains("moved to the survivor")
                        || l.startsWith("hub restarted"))
            .reduce((a, b) -> a + "; " + b)
            .orElse("");
    line(
        "| "
            + scenario
            + " | "
            + world.fleet.clusterNames().size()
            + " | "
            + r.phase()
            + " | "
            + r.elapsed().toMillis() / 1000.0
            + " s | "
            + notes.replace("|", "/")
            + " |");
  }

  static synchronized void line(String text) {
    try {
      Path file = Path.of("target", "fault-matrix.md");
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.writeString(
            file,
            "<!-- "
                + Instant.now()
                + " -->\n| scenario | clusters | run | time | measured |\n"
                + "|---|---|---|---|---|\n");
      }
      Files.writeString(file, text + "\n", StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
