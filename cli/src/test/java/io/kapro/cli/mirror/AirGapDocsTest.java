package io.kapro.cli.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.kapro.cli.KaproCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Every {@code kapro} command line in docs/air-gap.md parses with the real command tree, and each
 * {@code kapro mirror} line passes the command's own flag checks (selection, content, evidence).
 */
class AirGapDocsTest {

  static List<String> commands() throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("docs/air-gap.md"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("docs/air-gap.md above the working directory").isNotNull();
    List<String> out = new ArrayList<>();
    boolean inBash = false;
    StringBuilder current = null;
    for (String line : Files.readAllLines(dir.resolve("docs/air-gap.md"))) {
      if (line.startsWith("```")) {
        inBash = line.equals("```bash");
        continue;
      }
      if (!inBash) {
        continue;
      }
      String l = line.strip();
      if (current == null && l.startsWith("kapro ")) {
        current = new StringBuilder();
      }
      if (current != null) {
        boolean more = l.endsWith("\\");
        current.append(more ? l.substring(0, l.length() - 1) : l).append(' ');
        if (!more) {
          String cmd = current.toString();
          int pipe = cmd.indexOf(" | ");
          out.add((pipe >= 0 ? cmd.substring(0, pipe) : cmd).strip());
          current = null;
        }
      }
    }
    return out;
  }

  @Test
  void everyDocumentedCommandParsesAndPassesTheMirrorChecks() throws IOException {
    List<String> commands = commands();
    assertThat(commands.stream().filter(c -> c.startsWith("kapro mirror "))).hasSizeGreaterThan(6);
    for (String c : commands) {
      String[] args = c.substring("kapro ".length()).split("\\s+");
      CommandLine cli = KaproCli.commandLine();
      assertThatCode(() -> cli.parseArgs(args)).as(c).doesNotThrowAnyException();
      ParseResult leaf = cli.parseArgs(args);
      while (leaf.hasSubcommand()) {
        leaf = leaf.subcommand();
      }
      Object command = leaf.commandSpec().userObject();
      MirrorOptions options =
          switch (command) {
            case MirrorPull p -> p.options;
            case MirrorPush p -> p.options;
            case MirrorSync p -> p.options;
            default -> null;
          };
      if (options != null) {
        assertThatCode(() -> MirrorRun.selection(options)).as(c).doesNotThrowAnyException();
      }
    }
  }
}
