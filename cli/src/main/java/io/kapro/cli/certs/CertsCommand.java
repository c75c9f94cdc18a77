package io.kapro.cli.certs;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kapro certs bootstrap-token} and {@code kapro certs revoke}. */
@Command(
    name = "certs",
    description = "Agent enrollment and certificates.",
    subcommands = {BootstrapTokenCommand.class, RevokeCommand.class})
public final class CertsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "say what to do: kapro certs bootstrap-token|revoke <cluster>");
  }
}
