package io.kapro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
