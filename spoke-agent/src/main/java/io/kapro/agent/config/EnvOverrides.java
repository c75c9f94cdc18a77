package io.kapro.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Environment variables that override single YAML settings, for example {@code
 * KAPRO_AGENT_HUB_ADDRESS} for {@code hub.address}. Unknown {@code KAPRO_AGENT_*} variables are
 * problems too (a typo would otherwise be ignored silently).
 */
public final class EnvOverrides {
  /** Prefix of every override variable. */
  public static final String PREFIX = "KAPRO_AGENT_";

  private enum Type {
    TEXT,
    BOOL,
    INT,
    LIST
  }

  private record Target(String path, Type type) {}

  private static final Map<String, Target> TARGETS =
      Map.ofEntries(
          Map.entry("CLUSTER_NAMESPACE", new Target("cluster.namespace", Type.TEXT)),
          Map.entry("CLUSTER_NAME", new Target("cluster.name", Type.TEXT)),
          Map.entry("HUB_ADDRESS", new Target("hub.address", Type.TEXT)),
          Map.entry("HUB_CA_FILE", new Target("hub.caFile", Type.TEXT)),
          Map.entry("REGISTRY_URL", new Target("bundleSource.registry.url", Type.TEXT)),
          Map.entry(
              "REGISTRY_REPOSITORY", new Target("bundleSource.registry.repository", Type.TEXT)),
          Map.entry("REGISTRY_INSECURE", new Target("bundleSource.registry.insecure", Type.BOOL)),
          Map.entry("REGISTRY_USERNAME", new Target("bundleSource.registry.username", Type.TEXT)),
          Map.entry("REGISTRY_PASSWORD", new Target("bundleSource.registry.password", Type.TEXT)),
          Map.entry(
              "REGISTRY_PASSWORD_FILE",
              new Target("bundleSource.registry.passwordFile", Type.TEXT)),
          Map.entry(
              "REGISTRY_CREDENTIALS_FILE",
              new Target("bundleSource.registry.credentialsFile", Type.TEXT)),
          Map.entry("REGISTRY_CA_FILE", new Target("bundleSource.registry.caFile", Type.TEXT)),
          Map.entry("LAYOUT_PATH", new Target("bundleSource.layout.path", Type.TEXT)),
          Map.entry("TRUSTED_KEYS", new Target("trustedKeys", Type.LIST)),
          Map.entry("POLL_INTERVAL", new Target("pollInterval", Type.TEXT)),
          Map.entry("STATE_DIR", new Target("stateDir", Type.TEXT)),
          Map.entry("HEALTH_ADDRESS", new Target("health.address", Type.TEXT)),
          Map.entry("HEALTH_PORT", new Target("health.port", Type.INT)),
          Map.entry("BOOTSTRAP_TOKEN_FILE", new Target("bootstrapTokenFile", Type.TEXT)),
          Map.entry("EVIDENCE_SINK", new Target("evidenceSink.enabled", Type.BOOL)),
          Map.entry("EVIDENCE_INTERVAL", new Target("evidenceSink.interval", Type.TEXT)),
          Map.entry(
              "EVIDENCE_CREDENTIALS_FILE", new Target("evidenceSink.credentialsFile", Type.TEXT)));

  private EnvOverrides() {}

  /** Variable names this agent understands, sorted. */
  public static List<String> names() {
    return TARGETS.keySet().stream().sorted().map(k -> PREFIX + k).toList();
  }

  /** Writes every {@code KAPRO_AGENT_*} variable into {@code root}; records bad ones. */
  static void apply(ObjectNode root, Map<String, String> env, List<ConfigProblem> problems) {
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      if (!e.getKey().startsWith(PREFIX)) {
        continue;
      }
      String where = "env " + e.getKey();
      Target target = TARGETS.get(e.getKey().substring(PREFIX.length()));
      if (target == null) {
        problems.add(
            new ConfigProblem(
                where,
                "unknown override variable",
                "unset it or use one of " + String.join(", ", names())));
        continue;
      }
      JsonNode value = convert(e.getValue(), target.type);
      if (value == null) {
        problems.add(
            new ConfigProblem(
                where + " (" + target.path + ")",
                "'" + e.getValue() + "' is not a valid " + target.type.name().toLowerCase(),
                switch (target.type) {
                  case BOOL -> "set it to true or false";
                  case INT -> "set it to a whole number";
                  default -> "set a non-empty value";
                }));
        continue;
      }
      put(root, target.path, value, where, problems);
    }
  }

  private static JsonNode convert(String raw, Type type) {
    String v = raw == null ? "" : raw.strip();
    return switch (type) {
      case TEXT -> v.isEmpty() ? null : TextNode.valueOf(v);
      case BOOL ->
          v.equals("true") ? BooleanNode.TRUE : v.equals("false") ? BooleanNode.FALSE : null;
      case INT -> v.matches("\\d{1,9}") ? IntNode.valueOf(Integer.parseInt(v)) : null;
      case LIST -> {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(list::add);
        yield list.isEmpty() ? null : list;
      }
    };
  }

  private static void put(
      ObjectNode root, String path, JsonNode value, String where, List<ConfigProblem> problems) {
    String[] keys = path.split("\\.");
    ObjectNode node = root;
    for (int i = 0; i < keys.length - 1; i++) {
      JsonNode next = node.get(keys[i]);
      if (next == null || next.isNull()) {
        next = node.putObject(keys[i]);
      }
      if (!next.isObject()) {
        problems.add(
            new ConfigProblem(
                where,
                "cannot override " + path + ": '" + keys[i] + "' in the file is not a mapping",
                "make '" + keys[i] + "' a mapping in the file"));
        return;
      }
      node = (ObjectNode) next;
    }
    node.set(keys[keys.length - 1], value);
  }
}
