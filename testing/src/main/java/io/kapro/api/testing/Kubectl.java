package io.kapro.api.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real kubectl against a {@link LocalKubeApi}. */
public final class Kubectl {
  /** Output of one kubectl run. */
  public record Result(int exitCode, String stdout, String stderr) {
    /** The output lines, trailing blanks removed. */
    public List<String> lines() {
      return stdout.lines().map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
    }

    /**
     * The table kubectl printed, cut at the header's column starts (empty cells stay empty). Row 0
     * is the header.
     */
    public List<List<String>> table() {
      List<String> lines = lines();
      String header = lines.get(0);
      List<Integer> starts = new java.util.ArrayList<>();
      for (int i = 0; i < header.length(); i++) {
        if (header.charAt(i) != ' '
            && (i == 0 || (header.charAt(i - 1) == ' ' && i > 1 && header.charAt(i - 2) == ' '))) {
          starts.add(i);
        }
      }
      List<List<String>> rows = new java.util.ArrayList<>();
      for (String line : lines) {
        List<String> cells = new java.util.ArrayList<>();
        for (int c = 0; c < starts.size(); c++) {
          int from = Math.min(starts.get(c), line.length());
          int to =
              c + 1 < starts.size() ? Math.min(starts.get(c + 1), line.length()) : line.length();
          cells.add(line.substring(from, to).strip());
        }
        rows.add(cells);
      }
      return rows;
    }
  }

  private final Path kubeconfig;

  /**
   * @param api the server kubectl talks to
   */
  public Kubectl(LocalKubeApi api) {
    this.kubeconfig = api.kubeconfig();
  }

  /** Runs {@code kubectl --kubeconfig <file> <args...>} and waits up to 60 s. */
  public Result run(String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("kubectl", ".out");
      Path err = Files.createTempFile("kubectl", ".err");
      Process p =
          new ProcessBuilder(cmd)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("kubectl did not finish in 60 s: " + cmd);
      }
      Result r =
          new Result(
              p.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run kubectl (is it on the PATH?): " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
