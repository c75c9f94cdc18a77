package io.kapro.agent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Checks for file system paths in the configuration: absolute, normalized, of the right type. */
final class ConfigPaths {
  enum Expect {
    /** A readable regular file that must exist now. */
    FILE,
    /** A directory, created if missing; must not be a file. */
    DIRECTORY,
    /** Anything; may not exist yet. */
    ANY
  }

  private ConfigPaths() {}

  static Optional<Path> path(ConfigNode node, boolean required, Expect expect, String fix) {
    Optional<String> text = node.text(required, fix);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String raw = text.get();
    Path path;
    try {
      path = Path.of(raw);
    } catch (InvalidPathException e) {
      node.problem("'" + raw + "' is not a valid path: " + e.getReason(), fix);
      return Optional.empty();
    }
    if (!path.isAbsolute()) {
      node.problem("'" + raw + "' is relative", "write an absolute path, e.g. /etc/kapro/...");
      return Optional.empty();
    }
    if (!path.normalize().equals(path) || raw.contains("/./") || raw.contains("/../")) {
      node.problem(
          "'" + raw + "' contains '.' or '..' segments",
          "write the plain absolute path " + path.normalize());
      return Optional.empty();
    }
    if (path.getNameCount() == 0) {
      node.problem("'/' is not allowed here", fix);
      return Optional.empty();
    }
    return switch (expect) {
      case FILE -> readableFile(node, path, fix);
      case DIRECTORY -> directory(node, path);
      case ANY -> Optional.of(path);
    };
  }

  private static Optional<Path> readableFile(ConfigNode node, Path path, String fix) {
    if (!Files.exists(path)) {
      node.problem("file " + path + " does not exist", fix);
      return Optional.empty();
    }
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      node.problem(path + " is not a readable regular file", fix);
      return Optional.empty();
    }
    return Optional.of(path);
  }

  private static Optional<Path> directory(ConfigNode node, Path path) {
    if (Files.exists(path) && !Files.isDirectory(path)) {
      node.problem(path + " exists and is not a directory", "point it at a directory");
      return Optional.empty();
    }
    if (Files.isDirectory(path) && !Files.isWritable(path)) {
      node.problem(
          "directory " + path + " is not writable",
          "give the agent's user write access or pick another directory");
      return Optional.empty();
    }
    return Optional.of(path);
  }

  static String readSmallFile(ConfigNode node, Path file, String fix) {
    try {
      if (Files.size(file) > 64 * 1024) {
        node.problem(file + " is larger than 64 KiB", fix);
        return null;
      }
      return Files.readString(file);
    } catch (IOException e) {
      node.problem("cannot read " + file + ": " + e.getMessage(), fix);
      return null;
    }
  }
}
