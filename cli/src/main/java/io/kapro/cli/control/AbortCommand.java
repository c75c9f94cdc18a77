package io.kapro.cli.control;

import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.cli.kube.KubeOptions;
import io.kapro.cli.kube.KubeSession;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kapro abort RUN [--wait]}: unstarted Targets are Cancelled, the run ends Aborted. */
@Command(
    name = "abort",
    description = {
      "Abort a run: Targets not yet publishing are Cancelled and the run ends Aborted;",
      "bundles already published stay. Sets spec.abort on the run's Promotion.",
      "With --wait, exits 0 once the run is Aborted, 1 if it ended otherwise, 5 on --timeout."
    })
public final class AbortCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;
  @Mixin ControlOptions control;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    try (KubeSession session = kube.open()) {
      return Control.change(
          session,
          out,
          control,
          "abort",
          "aborting",
          s -> s.setAbort(true),
          Control.reaches(RunPhase.Aborted));
    }
  }
}
