package io.kapro.e2e.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every command block in {@code docs/} is either run by a test or the demo, and says which ({@code
 * <!-- exercised-by: ClassName -->} right above the block; the class must exist), or says why it
 * cannot run on a machine without a cluster ({@code <!-- not-run: reason -->}).
 *
 * <p>A command block is a fenced block labelled sh, bash, shell, console or zsh, or an unlabelled
 * one whose first line starts with {@code $ }. An unmarked block fails the build.
 */
class DocsCommandBlocksTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Pattern FENCE = Pattern.compile("^```\\s*([A-Za-z0-9_-]*)\\s*$");
  private static final Pattern MARK =
      Pattern.compile("^<!--\\s*(not-run|exercised-by):\\s*(\\S.*?)\\s*-->$");
  private static final Set<String> SHELLS = Set.of("sh", "bash", "shell", "console", "zsh");

  record Block(String doc, int line, String mark, String firstCommand) {
    String key() {
      return doc + ": " + firstCommand;
    }
  }

  @Test
  void everyCommandBlockIsExercisedOrMarkedNotRunnableHere() {
    List<Block> blocks = blocks();
    assertThat(blocks).as("command blocks found in docs/").hasSizeGreaterThan(10);
    List<String> problems = new ArrayList<>();
    for (Block b : blocks) {
      String where = b.doc() + ":" + b.line();
      if (b.mark() == null) {
        problems.add(
            where
                + " is neither exercised nor marked: put <!-- exercised-by: TestClass --> or"
                + " <!-- not-run: why --> on the line above it ("
                + b.firstCommand()
                + ")");
        continue;
      }
      Matcher m = MARK.matcher(b.mark());
      m.matches();
      if (m.group(1).equals("exercised-by") && !classExists(m.group(2))) {
        problems.add(where + " names " + m.group(2) + ", which is no class in this repository");
      }
    }
    assertThat(problems).as("docs command blocks").isEmpty();
  }

  @Test
  void theNewGuidesMarkEveryBlock() {
    for (String doc : List.of("getting-started.md", "operations.md")) {
      assertThat(blocks().stream().filter(b -> b.doc().equals(doc)))
          .as(doc)
          .isNotEmpty()
          .allSatisfy(b -> assertThat(b.mark()).as(doc + ":" + b.line()).isNotNull());
    }
  }

  static List<Block> blocks() {
    List<Block> out = new ArrayList<>();
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
      for (Path doc : docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        List<String> lines = Files.readAllLines(doc);
        String name = ROOT.resolve("docs").relativize(doc).toString();
        for (int i = 0; i < lines.size(); i++) {
          Matcher open = FENCE.matcher(lines.get(i));
          if (!open.matches()) {
            continue;
          }
          int end = i + 1;
          while (end < lines.size() && !lines.get(end).startsWith("```")) {
            end++;
          }
          List<String> body = lines.subList(i + 1, Math.min(end, lines.size()));
          String label = open.group(1);
          String first =
              body.stream()
                  .filter(l -> !l.isBlank() && !l.stripLeading().startsWith("#"))
                  .findFirst()
                  .orElse("")
                  .strip();
          boolean command = SHELLS.contains(label) || (label.isEmpty() && first.startsWith("$ "));
          if (command) {
            String above = previousNonBlank(lines, i);
            out.add(
                new Block(
                    name,
                    i + 1,
                    above != null && MARK.matcher(above).matches() ? above : null,
                    first));
          }
          i = end;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static String previousNonBlank(List<String> lines, int i) {
    for (int j = i - 1; j >= 0; j--) {
      if (!lines.get(j).isBlank()) {
        return lines.get(j).strip();
      }
    }
    return null;
  }

  private static boolean classExists(String simpleName) {
    try (Stream<Path> modules = Files.list(ROOT)) {
      for (Path src : modules.map(m -> m.resolve("src")).filter(Files::isDirectory).toList()) {
        try (Stream<Path> files = Files.walk(src)) {
          if (files.anyMatch(p -> p.getFileName().toString().equals(simpleName + ".java"))) {
            return true;
          }
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
