package io.kapro.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the manifests under {@code examples/} (one object per YAML document). */
public final class Examples {
  private static final String KAPRO_GROUP = "kapro.io";

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final io.fabric8.kubernetes.client.utils.KubernetesSerialization SERIALIZATION =
      new io.fabric8.kubernetes.client.utils.KubernetesSerialization();

  /** One object of an example file. */
  public record Manifest(Path file, int document, ObjectNode object) {
    public String kind() {
      return object.path("kind").asText();
    }

    public String name() {
      return object.path("metadata").path("name").asText();
    }

    @Override
    public String toString() {
      return file.getFileName() + "#" + document + " " + kind() + "/" + name();
    }
  }

  private Examples() {}

  /** The repository root (the api module runs its tests in {@code <root>/api}). */
  public static Path repoRoot() {
    Path dir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    while (dir != null && !Files.isDirectory(dir.resolve("examples"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the repository root (a folder with examples/)");
    }
    return dir;
  }

  /** Every manifest under {@code examples/}, in file-name order. */
  public static List<Manifest> all() {
    try (Stream<Path> files = Files.walk(repoRoot().resolve("examples"))) {
      List<Manifest> out = new ArrayList<>();
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        out.addAll(read(f));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The manifests of one file. */
  public static List<Manifest> read(Path file) throws IOException {
    List<Manifest> out = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      int i = 0;
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n != null && n.isObject() && !n.isEmpty()) {
          out.add(new Manifest(file, i, (ObjectNode) n));
        }
        i++;
      }
    }
    return out;
  }

  /**
   * The object as its Kapro class (Fleet, Plan, ...), read the way the client reads it. The class
   * is found by name in the api module's package for the object's version ({@code
   * kapro.io/v1alpha2} → {@code io.kapro.api.v1alpha2}); this module does not depend on the api
   * module.
   */
  public static io.fabric8.kubernetes.api.model.HasMetadata typed(ObjectNode object) {
    String kind = object.path("kind").asText();
    String apiVersion = object.path("apiVersion").asText();
    if (!apiVersion.startsWith(KAPRO_GROUP + "/") || !kind.matches("[A-Z][A-Za-z]*")) {
      throw new IllegalArgumentException("not a Kapro kind: " + apiVersion + " " + kind);
    }
    String className =
        "io.kapro.api." + apiVersion.substring(KAPRO_GROUP.length() + 1) + "." + kind;
    try {
      Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> k =
          Class.forName(className, false, Examples.class.getClassLoader())
              .asSubclass(io.fabric8.kubernetes.api.model.HasMetadata.class);
      return SERIALIZATION.convertValue(object, k);
    } catch (ClassNotFoundException | ClassCastException e) {
      throw new IllegalArgumentException(
          "not a Kapro kind: " + apiVersion + " " + kind + " (no " + className + ")", e);
    }
  }

  /** The first manifest of the given kind (a deep copy, free to modify). */
  public static ObjectNode first(String kind) {
    // the quickstart is the reference example: its manifests come first, whatever else exists
    return all().stream()
        .sorted(
            java.util.Comparator.comparing(
                (Manifest m) -> m.file().getParent().endsWith("quickstart") ? 0 : 1))
        .filter(m -> m.kind().equals(kind))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + kind + " under examples/"))
        .object()
        .deepCopy();
  }
}
