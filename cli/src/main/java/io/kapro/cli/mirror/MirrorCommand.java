package io.kapro.cli.mirror;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kapro mirror pull | push | sync}: carries bundles and evidence across an air gap. */
@Command(
    name = "mirror",
    mixinStandardHelpOptions = true,
    description = {
      "Carry bundles (and evidence) between registries and OCI layouts, for air gaps.",
      "Every artifact is verified at the source before anything of it is written; refused",
      "artifacts are named and nothing of them is carried. Rerun the same command to resume.",
      "LOCATION: a registry (host:port, https://host, http://host with --insecure) or",
      "oci:<dir> / oci:<file>.tar (an OCI image layout)."
    },
    subcommands = {MirrorPull.class, MirrorPush.class, MirrorSync.class},
    footer = {
      "",
      "Exit codes: 0 everything carried, 1 something refused or a named cluster missing,",
      "2 usage, 3 not found, 4 forbidden, 6 unreachable (rerun to resume)."
    })
public final class MirrorCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "say what to do: kapro mirror pull | push | sync");
  }
}
