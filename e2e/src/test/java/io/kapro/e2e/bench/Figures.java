package io.kapro.e2e.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes benchmark figures as JSON. */
final class Figures {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Figures() {}

  /** Into {@code target/benchmarks/<name>} of the module (CI smoke runs and bench runs alike). */
  static Path writeTarget(String name, Object figures) throws IOException {
    return write(Path.of("target", "benchmarks", name), figures);
  }

  static Path write(Path file, Object figures) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    JSON.writeValue(file.toFile(), figures);
    return file;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), Map.class);
  }
}
