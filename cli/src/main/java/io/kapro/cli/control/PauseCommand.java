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

/** {@code kapro pause RUN [--wait]}: no new Target is published; those in flight finish. */
@Command(
    name = "pause",
    description = {
      "Pause a run: no new Target is published and no wave opens; Targets in flight finish.",
      "Sets spec.paused on the run's Promotion. With --wait, exits 0 once the run is Paused,",
      "1 if it ended first, 5 on --timeout."
    })
public final class PauseCommand implements Callable<Integer> {
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
          "pause",
          "paused",
          s -> s.setPaused(true),
          Control.reaches(RunPhase.Paused));
    }
  }
}
