package io.kapro.cli.control;

import io.kapro.api.v1alpha2.RunPhase;
import io.kapro.cli.ExitCodes;
import io.kapro.cli.kube.KubeOptions;
import io.kapro.cli.kube.KubeSession;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kapro resume RUN [--wait]}: a paused run carries on. */
@Command(
    name = "resume",
    description = {
      "Resume a paused run. Clears spec.paused on the run's Promotion.",
      "With --wait, exits 0 once the run is no longer Paused (1 if it ended otherwise than",
      "Succeeded), 5 on --timeout."
    })
public final class ResumeCommand implements Callable<Integer> {
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
          "resume",
          "resumed",
          s -> s.setPaused(null),
          run -> {
            RunPhase p = Control.phase(run);
            if (p == null || p == RunPhase.Paused) {
              return null;
            }
            return !p.terminal() || p == RunPhase.Succeeded ? ExitCodes.OK : ExitCodes.FAILED;
          });
    }
  }
}
