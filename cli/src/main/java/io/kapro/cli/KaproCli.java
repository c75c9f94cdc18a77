package io.kapro.cli;

import io.kapro.cli.approve.ApproveCommand;
import io.kapro.cli.approve.RejectCommand;
import io.kapro.cli.certs.CertsCommand;
import io.kapro.cli.keys.KeysCommand;
import io.kapro.cli.mirror.MirrorCommand;
import io.kapro.cli.promote.PromoteCommand;
import io.kapro.cli.status.StatusCommand;
import io.kapro.cli.verify.VerifyCommand;
import io.kapro.cli.why.WhyCommand;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code kapro} command. Installed as {@code kubectl-kapro} on the PATH it is also a kubectl
 * plugin ({@code kubectl kapro status}). Errors go to stderr as {@code error: ...} and {@code hint:
 * ...} with the exit code of {@link ExitCodes}; stack traces only with {@code --debug}.
 */
@Command(
    name = "kapro",
    mixinStandardHelpOptions = true,
    versionProvider = KaproCli.Version.class,
    description = "Promote versions through a fleet of Kubernetes clusters, and see why.",
    subcommands = {
      StatusCommand.class,
      PromoteCommand.class,
      ApproveCommand.class,
      RejectCommand.class,
      WhyCommand.class,
      KeysCommand.class,
      CertsCommand.class,
      VerifyCommand.class,
      MirrorCommand.class,
      CompletionCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 ok/converged, 1 failed (run failed, halted or rolled back;",
      "bundle rejected), 2 usage, 3 not found, 4 forbidden, 5 timeout, 6 unreachable."
    })
public final class KaproCli implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Show stack traces and client logs on errors.")
  boolean debug;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a command is required, e.g. kapro status");
  }

  /** Entry point of the launcher. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(execute(out, err, args));
  }

  /**
   * Runs one command line.
   *
   * @return the exit code
   */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    boolean debug = Arrays.asList(args).contains("--debug");
    if (debug) {
      Logging.debug();
    }
    CommandLine cli = commandLine();
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, line, parseResult) -> {
          CliException c = Errors.map(e);
          err.println("error: " + c.getMessage());
          if (c.hint() != null) {
            err.println("hint: " + c.hint());
          }
          if (debug) {
            e.printStackTrace(err);
          }
          err.flush();
          return c.reason().exitCode();
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The command tree (for completion scripts and tests). */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new KaproCli());
    String name = System.getProperty("kapro.program.name");
    if (name != null && !name.isBlank()) {
      cli.setCommandName(name);
    }
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  /** Prints the version from the jar manifest (or "dev"). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = KaproCli.class.getPackage().getImplementationVersion();
      return new String[] {"kapro " + (v == null ? "0.1.0-SNAPSHOT" : v)};
    }
  }
}
