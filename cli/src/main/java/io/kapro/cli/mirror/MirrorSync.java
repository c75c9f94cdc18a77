package io.kapro.cli.mirror;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kapro mirror sync}. */
@Command(
    name = "sync",
    description = {"Registry -> registry (a DMZ mirror); any two locations work."},
    sortOptions = false,
    mixinStandardHelpOptions = true)
public final class MirrorSync implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin MirrorOptions options;

  @Override
  public Integer call() {
    return MirrorRun.run(spec.commandLine(), "sync", options);
  }
}
