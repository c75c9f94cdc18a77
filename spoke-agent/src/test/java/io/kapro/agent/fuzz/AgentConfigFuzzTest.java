package io.kapro.agent.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kapro.agent.config.AgentConfig;
import io.kapro.agent.config.AgentConfigLoader;
import io.kapro.agent.config.ConfigException;
import io.kapro.agent.config.ConfigProblem;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fuzzes {@link AgentConfigLoader#parse}. Input: UTF-8 text; YAML up to a line {@code ---env}, then
 * {@code NAME=value} lines passed as the environment. Invariant: a config, or a {@link
 * ConfigException} whose every problem names a path, what is wrong and the fix; never another
 * exception.
 */
class AgentConfigFuzzTest {
  static final String ENV_MARKER = "\n---env\n";

  @FuzzTest(maxDuration = "60s")
  void parse(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    int cut = text.indexOf(ENV_MARKER);
    String yaml = cut < 0 ? text : text.substring(0, cut);
    Map<String, String> env = new LinkedHashMap<>();
    if (cut >= 0) {
      for (String line : text.substring(cut + ENV_MARKER.length()).split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          env.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    }
    try {
      AgentConfig config = AgentConfigLoader.parse(yaml, env, "fuzz.yaml");
      assertThat(config).isNotNull();
    } catch (ConfigException e) {
      assertThat(e.problems()).isNotEmpty();
      for (ConfigProblem p : e.problems()) {
        assertThat(p.path()).as("problem path").isNotBlank();
        assertThat(p.problem()).as("problem text").isNotBlank();
        assertThat(p.fix()).as("problem fix").isNotBlank();
      }
      assertThat(e.getMessage()).contains("fuzz.yaml");
    }
  }
}
