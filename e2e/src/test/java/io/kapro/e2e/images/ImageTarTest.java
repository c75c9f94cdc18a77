package io.kapro.e2e.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The image tars Jib builds in the package phase of hub, spoke-agent and cli (the modules come
 * before e2e in the reactor): Docker format, entrypoint java + main class, a non-root user, the
 * application's classes and jars, and a Java runtime in the layers.
 */
class ImageTarTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @ParameterizedTest
  @CsvSource({
    "hub, io.kapro.hub.HubMain, io/kapro/hub/HubMain.class, kapro-api, true",
    "spoke-agent, io.kapro.agent.AgentMain, io/kapro/agent/AgentMain.class, kapro-oci, false",
    "cli, io.kapro.cli.KaproCli, io/kapro/cli/KaproCli.class, kapro-api, true"
  })
  void imageHasEntrypointNonRootUserAppAndJava(
      String module, String mainClass, String classFile, String projectJar, boolean fabric8)
      throws IOException {
    assumeFalse(Boolean.getBoolean("kapro.image.skip"), "built with -Dkapro.image.skip=true");
    Path tar = ROOT.resolve(module).resolve("target/jib-image.tar");
    assertThat(tar).as("run the package phase of " + module).isRegularFile();
    Map<String, byte[]> small = new HashMap<>();
    TarReader.walk(
        new BufferedInputStream(Files.newInputStream(tar)),
        (name, mode, type, data) -> {
          if (name.endsWith(".json")) {
            small.put(name, data.readAllBytes());
          }
        });
    JsonNode manifest = JSON.readTree(small.get("manifest.json")).get(0);
    byte[] configJson = small.get(manifest.path("Config").asText());
    JsonNode config = JSON.readTree(configJson);
    JsonNode c = config.path("config");

    List<String> entrypoint = JSON.convertValue(c.path("Entrypoint"), List.class);
    assertThat(entrypoint.getFirst()).isEqualTo("java");
    assertThat(entrypoint.getLast()).isEqualTo(mainClass);
    assertThat(entrypoint).contains("-cp", "@/app/jib-classpath-file");

    String user = c.path("User").asText();
    assertThat(user).as("image user").isNotBlank().doesNotStartWith("0").doesNotStartWith("root");
    assertThat(Integer.parseInt(user.split(":")[0])).isEqualTo(65532);
    assertThat(
            JSON.convertValue(c.path("Env"), List.class).stream()
                .map(String::valueOf)
                .filter(e -> ((String) e).startsWith("PATH=")))
        .singleElement()
        .asString()
        .contains("/opt/java/openjdk/bin");

    Set<String> layers = new HashSet<>();
    manifest.path("Layers").forEach(l -> layers.add(l.asText()));
    Set<String> files = new HashSet<>();
    Map<String, Integer> modes = new HashMap<>();
    TarReader.walk(
        new BufferedInputStream(Files.newInputStream(tar)),
        (name, mode, type, data) -> {
          if (!layers.remove(name)) {
            return;
          }
          InputStream in = new BufferedInputStream(data);
          in.mark(2);
          boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
          in.reset();
          TarReader.walk(
              gzip ? new GZIPInputStream(in, 65536) : in,
              (entry, entryMode, entryType, ignored) -> {
                String n =
                    entry.startsWith("./") ? entry.substring(2) : entry.replaceFirst("^/", "");
                files.add(n);
                modes.put(n, entryMode);
              });
        });
    assertThat(layers).as("layers named in the manifest but missing from the tar").isEmpty();
    assertThat(files).contains("opt/java/openjdk/bin/java", "app/classes/" + classFile);
    assertThat(modes.get("opt/java/openjdk/bin/java") & 0111).as("java is executable").isNotZero();
    assertThat(files)
        .as("the runtime's libraries are in the image, not taken from a host")
        .anyMatch(f -> f.endsWith("lib/server/libjvm.so"))
        .anyMatch(f -> f.endsWith("opt/java/openjdk/lib/modules"))
        .anyMatch(
            f ->
                f.matches(
                    "(usr/)?lib(64|/x86_64-linux-gnu)?/(ld-linux-x86-64\\.so\\.2|libc\\.so\\.6)"));
    assertThat(files)
        .anyMatch(f -> f.startsWith("app/libs/" + projectJar + "-") && f.endsWith(".jar"));
    // the agent talks to its API server with its own client (issue 22), without fabric8
    if (fabric8) {
      assertThat(files)
          .anyMatch(f -> f.startsWith("app/libs/kubernetes-client-") && f.endsWith(".jar"));
    } else {
      assertThat(files).noneMatch(f -> f.startsWith("app/libs/kubernetes-"));
    }
    assertThat(new String(configJson, StandardCharsets.UTF_8))
        .contains("\"architecture\":\"amd64\"", "\"os\":\"linux\"");
  }
}
