package io.kapro.cli;

import io.kapro.api.testing.LocalKubeApi;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code kapro} in-process, capturing stdout, stderr and the exit code. */
public final class Cli {
  /** One run. */
  public record Result(int exit, String out, String err) {
    /** Lines of stdout, trailing blanks removed, empty ones dropped. */
    public List<String> lines() {
      return out.lines().map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private final LocalKubeApi api;

  /**
   * @param api the server (its kubeconfig is passed as --kubeconfig), or null for commands that
   *     need none
   */
  public Cli(LocalKubeApi api) {
    this.api = api;
  }

  /** Runs {@code kapro <args> --kubeconfig <file>}. */
  public Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (api != null && !all.contains("--kubeconfig")) {
      all.add("--kubeconfig");
      all.add(api.kubeconfig().toString());
    }
    return raw(all.toArray(String[]::new));
  }

  /** Runs {@code kapro <args>} as given. */
  public static Result raw(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = KaproCli.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }
}
