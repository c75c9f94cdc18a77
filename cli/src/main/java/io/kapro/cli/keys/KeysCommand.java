package io.kapro.cli.keys;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kapro keys generate | show}. */
@Command(
    name = "keys",
    description = "Bundle signing keys (ECDSA P-256, cosign-compatible PEM).",
    subcommands = {GenerateKeyCommand.class, ShowKeyCommand.class})
public final class KeysCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "say what to do: kapro keys generate | show");
  }
}
