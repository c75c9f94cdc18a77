package io.kapro.cli;

import io.kapro.cli.approve.ApproveCommand;
import io.kapro.cli.approve.RejectCommand;
import io.kapro.cli.certs.CertsCommand;
import io.kapro.cli.control.AbortCommand;
import io.kapro.cli.control.PauseCommand;
import io.kapro.cli.control.ResumeCommand;
import io.kapro.cli.control.RollbackCommand;
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
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

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
      PauseCommand.class,
      ResumeCommand.class,
      AbortCommand.class,
      RollbackCommand.class,
      KeysCommand.class,
      CertsCommand.class,
      VerifyCommand.class,
      MirrorCommand.class,
      io.kapro.cli.sources.SourcesCommand.class,
      io.kapro.cli.discover.DiscoverCommand.class,
      CompletionCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 ok/converged, 1 failed (run failed, halted, rolled back or aborted;",
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
    addHelpEverywhere(cli);
    // picocli lets a help option win over an unknown command ("kapro nosuch --help" printed the
    // top-level help with exit 0): refuse unmatched words before running anything
    cli.setExecutionStrategy(
        parseResult -> {
          for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (!p.unmatched().isEmpty()) {
              throw new UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
            }
          }
          return new CommandLine.RunLast().execute(parseResult);
        });
    cli.setParameterExceptionHandler(KaproCli::usageError);
    return cli;
  }

  /** Every command and command group answers {@code -h} / {@code --help} with its usage. */
  private static void addHelpEverywhere(CommandLine line) {
    CommandSpec spec = line.getCommandSpec();
    if (spec.options().stream().noneMatch(OptionSpec::usageHelp)) {
      spec.addOption(
          OptionSpec.builder("-h", "--help")
              .usageHelp(true)
              .description("Show this help message and exit.")
              .build());
    }
    line.getSubcommands().values().forEach(KaproCli::addHelpEverywhere);
  }

  /**
   * A usage error: what was wrong, the closest commands or options when a word was not understood,
   * and where the usage is; exit code 2.
   */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine line = e.getCommandLine();
    PrintWriter err = line.getErr();
    String name = line.getCommandSpec().qualifiedName();
    if (e instanceof UnmatchedArgumentException u
        && !line.getSubcommands().isEmpty()
        && !u.getUnmatched().isEmpty()
        && !u.getUnmatched().get(0).startsWith("-")) {
      err.println("error: unknown command '" + u.getUnmatched().get(0) + "' for '" + name + "'");
      if (u.getSuggestions().isEmpty()) {
        err.println("Commands: " + String.join(", ", line.getSubcommands().keySet()));
      }
    } else {
      err.println("error: " + e.getMessage());
    }
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Run '" + name + " --help' for usage.");
    err.flush();
    return line.getCommandSpec().exitCodeOnInvalidInput();
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
