package io.kapro.oci.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Rewrites one marked section of docs/benchmarks.md, leaving the other issues' sections alone. */
final class BenchDocs {
  static final String BEGIN = "<!-- issue-3:begin -->";
  static final String END = "<!-- issue-3:end -->";

  private BenchDocs() {}

  /** The repository's docs directory (found by walking up to the Maven wrapper). */
  static Path docsDir() throws IOException {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IOException(
          "cannot find the repository root (no mvnw above " + Path.of("").toAbsolutePath() + ")");
    }
    return Files.createDirectories(p.resolve("docs"));
  }

  static void writeSection(Path file, String body) throws IOException {
    String section = BEGIN + "\n" + body + END + "\n";
    String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\n";
    int b = text.indexOf(BEGIN);
    int e = text.indexOf(END);
    if (b >= 0 && e > b) {
      text =
          text.substring(0, b) + section + text.substring(e + END.length()).replaceFirst("^\n", "");
    } else {
      text = text + (text.endsWith("\n\n") ? "" : "\n") + section;
    }
    Files.writeString(file, text);
  }
}
