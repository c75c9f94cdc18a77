package io.kapro.e2e.demo;

import io.kapro.cli.KaproCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** One {@code kapro} command run in-process against a demo fleet's API server and namespace. */
record CliRun(int exit, String out, String err) {

  static CliRun kapro(DemoFleet fleet, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--kubeconfig", fleet.kubeconfig().toString(), "-n", DemoFleet.NAMESPACE));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        KaproCli.execute(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    return new CliRun(exit, out.toString(), err.toString());
  }

  @Override
  public String toString() {
    return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
