package io.kapro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command tree itself: help, completion, usage errors, connection errors, --debug. */
class KaproCliTest {
  @TempDir Path dir;

  @Test
  void helpListsEveryCommandAndTheExitCodes() {
    Cli.Result r = Cli.raw("--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains(
            "status",
            "promote",
            "approve",
            "reject",
            "why",
            "keys",
            "certs",
            "verify",
            "completion",
            "Exit codes: 0 ok/converged");
    assertThat(Cli.raw("--version").out()).startsWith("kapro ");
  }

  @Test
  void bashCompletion() {
    Cli.Result r = Cli.raw("completion", "bash");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("complete -F _complete_kapro", "bootstrap-token", "--kubeconfig");
    Cli.Result fish = Cli.raw("completion", "fish");
    assertThat(fish.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(fish.err()).contains("unsupported shell 'fish'");
  }

  @Test
  void usageErrorsAreExit2WithoutStackTraces() {
    for (String[] args :
        new String[][] {
          {},
          {"frobnicate"},
          {"--frobnicate"},
          {"status", "a", "b"},
          {"promote"},
          {"keys", "rotate"}
        }) {
      Cli.Result r = Cli.raw(args);
      assertThat(r.exit()).as(String.join(" ", args) + "\n" + r).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).as(String.join(" ", args)).isNotBlank().doesNotContain("\tat ");
    }
  }

  @Test
  void everyCommandAndGroupAnswersHelpWithItsUsage() {
    List<List<String>> paths = new ArrayList<>();
    walk(KaproCli.commandLine(), new ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThan(10).contains(List.of("certs"), List.of("mirror", "pull"));
    for (List<String> path : paths) {
      for (String flag : List.of("--help", "-h")) {
        List<String> args = new ArrayList<>(path);
        args.add(flag);
        Cli.Result r = Cli.raw(args.toArray(String[]::new));
        String line = String.join(" ", args);
        assertThat(r.exit()).as(line + "\n" + r).isZero();
        assertThat(r.out()).as(line).startsWith("Usage: kapro " + String.join(" ", path));
        assertThat(r.err()).as(line).isEmpty();
      }
    }
  }

  private static void walk(CommandLine line, List<String> path, List<List<String>> out) {
    out.add(List.copyOf(path));
    line.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (!sub.getCommandSpec().name().equals(name)) {
                return; // an alias
              }
              List<String> next = new ArrayList<>(path);
              next.add(name);
              walk(sub, next, out);
            });
  }

  @Test
  void anUnknownCommandIsAUsageErrorNamingTheClosestOne() {
    for (String[] args :
        new String[][] {
          {"stauts"}, {"stauts", "--help"}, {"certs", "bootstrap-tokn", "-h"}, {"nosuch", "--help"}
        }) {
      Cli.Result r = Cli.raw(args);
      String line = String.join(" ", args);
      assertThat(r.exit()).as(line + "\n" + r).isEqualTo(ExitCodes.USAGE);
      assertThat(r.out()).as(line).isEmpty();
      assertThat(r.err()).as(line).containsAnyOf("Did you mean", "Commands: status, promote");
      assertThat(r.err()).as(line).contains("unknown command '");
    }
    assertThat(Cli.raw("stauts", "--help").err())
        .contains("error: unknown command 'stauts' for 'kapro'", "Did you mean: kapro status");
    assertThat(Cli.raw("certs", "bootstrap-tokn", "-h").err())
        .contains(
            "error: unknown command 'bootstrap-tokn' for 'kapro certs'",
            "Did you mean: certs bootstrap-token");
  }

  @Test
  void anUnreachableServerIsExit6AndDebugShowsTheTrace() throws Exception {
    Path kubeconfig =
        Files.writeString(
            dir.resolve("kc"),
            """
        apiVersion: v1
        kind: Config
        clusters:
        - name: gone
          cluster:
            server: http://127.0.0.1:1
        users:
        - name: me
          user:
            token: x
        contexts:
        - name: gone
          context:
            cluster: gone
            user: me
        current-context: gone
        """);
    Cli.Result r = Cli.raw("status", "--kubeconfig", kubeconfig.toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(r.err())
        .contains("cannot reach the API server", "hint: check --kubeconfig")
        .doesNotContain("\tat ");
    Cli.Result debug = Cli.raw("status", "--kubeconfig", kubeconfig.toString(), "--debug");
    assertThat(debug.exit()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(debug.err()).contains("\tat ");
  }

  @Test
  void aBrokenKubeconfigIsAUsageError() throws Exception {
    Path kubeconfig = Files.writeString(dir.resolve("kc"), "{{{ not yaml");
    Cli.Result r = Cli.raw("status", "--kubeconfig", kubeconfig.toString());
    assertThat(r.exit()).as(r.toString()).isNotZero();
    assertThat(r.err()).startsWith("error: ").doesNotContain("\tat ");
  }
}
