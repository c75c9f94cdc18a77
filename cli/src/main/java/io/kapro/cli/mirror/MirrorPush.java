package io.kapro.cli.mirror;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kapro mirror push}. */
@Command(
    name = "push",
    description = {"OCI layout directory or tar -> registry (the disconnected side of the gap)."},
    sortOptions = false,
    mixinStandardHelpOptions = true)
public final class MirrorPush implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin MirrorOptions options;

  @Override
  public Integer call() {
    return MirrorRun.run(spec.commandLine(), "push", options);
  }
}
