package io.kapro.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kapro completion bash}: prints a bash/zsh completion script. */
@Command(
    name = "completion",
    description = {
      "Print a shell completion script (bash; zsh with bashcompinit).",
      "  source <(kapro completion bash)"
    })
public final class CompletionCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "SHELL",
      description = "bash or zsh",
      completionCandidates = Shells.class)
  String shell;

  @Override
  public void run() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw CliException.usage(
          "unsupported shell '" + shell + "'",
          "use: kapro completion bash (zsh works with it too)");
    }
    CommandLine root = spec.root().commandLine();
    spec.commandLine().getOut().print(AutoComplete.bash(root.getCommandName(), root));
    spec.commandLine().getOut().flush();
  }

  /** Completion candidates for SHELL. */
  static final class Shells extends java.util.ArrayList<String> {
    Shells() {
      super(java.util.List.of("bash", "zsh"));
    }
  }
}
