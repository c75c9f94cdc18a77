package io.kapro.agent.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kapro.agent.config.ConfigPaths.Expect;
import io.kapro.api.Durations;
import io.kapro.api.KaproApiException;
import io.kapro.oci.verify.ClusterIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the agent's YAML configuration, applies {@link EnvOverrides environment overrides} and
 * validates everything, collecting every problem before it fails.
 *
 * <pre>{@code
 * AgentConfig config = AgentConfigLoader.load(Path.of("/etc/kapro/agent.yaml"), System.getenv());
 * }</pre>
 */
public final class AgentConfigLoader {
  /** Largest configuration file accepted. */
  public static final long MAX_FILE_BYTES = 1024 * 1024;

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final YAMLMapper YAML =
      YAMLMapper.builder(new YAMLFactory())
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  private AgentConfigLoader() {}

  /**
   * Loads and validates {@code file} with overrides from {@code env}.
   *
   * @throws ConfigException listing every problem when the configuration is invalid
   */
  public static AgentConfig load(Path file, Map<String, String> env) {
    String source = file.toString();
    try {
      if (!Files.isRegularFile(file)) {
        throw fail(source, "(file)", "does not exist or is not a file", "pass the config path");
      }
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw fail(source, "(file)", "is larger than 1 MiB", "trim the configuration file");
      }
      return parse(Files.readString(file), env, source);
    } catch (IOException e) {
      throw fail(source, "(file)", "cannot be read: " + e.getMessage(), "check permissions");
    }
  }

  /** Parses and validates YAML text; {@code source} names it in messages. */
  public static AgentConfig parse(String yaml, Map<String, String> env, String source) {
    List<ConfigProblem> problems = new ArrayList<>();
    ObjectNode root = readTree(yaml, source);
    EnvOverrides.apply(root, env, problems);
    AgentConfig config = new Validator(new ConfigNode("", root, problems)).validate();
    if (!problems.isEmpty()) {
      throw new ConfigException(source, problems);
    }
    return config;
  }

  private static ObjectNode readTree(String yaml, String source) {
    if (yaml.length() > MAX_FILE_BYTES) {
      throw fail(source, "(file)", "is larger than 1 MiB", "trim the configuration file");
    }
    JsonNode tree;
    try {
      tree = yaml.isBlank() ? null : YAML.readTree(yaml);
    } catch (JacksonException e) {
      String where =
          e.getLocation() == null
              ? "(file)"
              : "(file) line "
                  + e.getLocation().getLineNr()
                  + " column "
                  + e.getLocation().getColumnNr();
      throw fail(source, where, "is not valid YAML: " + e.getOriginalMessage(), "fix the syntax");
    }
    if (tree == null || tree.isNull() || tree.isMissingNode()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!tree.isObject()) {
      throw fail(source, "(file)", "must be a YAML mapping at the top", "start with 'cluster:'");
    }
    return (ObjectNode) tree;
  }

  private static ConfigException fail(String source, String path, String problem, String fix) {
    return new ConfigException(source, List.of(new ConfigProblem(path, problem, fix)));
  }

  /** Walks the tree once; every check records its problem and goes on. */
  private record Validator(ConfigNode root) {

    AgentConfig validate() {
      root.onlyKeys(
          "cluster",
          "hub",
          "bundleSource",
          "trustedKeys",
          "pollInterval",
          "pollJitter",
          "allow",
          "stateDir",
          "health",
          "bootstrapTokenFile",
          "evidenceSink");
      ClusterIdentity cluster = cluster(root.child("cluster"));
      HubConfig hub = hub(root.child("hub"));
      BundleSource source = BundleSourceReader.read(root.child("bundleSource"));
      List<Path> keys = trustedKeys(root.child("trustedKeys"));
      Duration poll = pollInterval(root.child("pollInterval"));
      double jitter =
          root.child("pollJitter")
              .number(0, 0.5, "set a fraction between 0 and 0.5, e.g. 0.1")
              .orElse(AgentConfig.DEFAULT_POLL_JITTER);
      AllowList allow = AllowListReader.read(root.child("allow"));
      Optional<Path> state =
          ConfigPaths.path(
              root.child("stateDir"),
              true,
              Expect.DIRECTORY,
              "set stateDir to an absolute, writable directory such as /var/lib/kapro-agent");
      HealthConfig health = health(root.child("health"));
      Optional<Path> token =
          ConfigPaths.path(
              root.child("bootstrapTokenFile"),
              false,
              Expect.ANY,
              "set the absolute path of the mounted bootstrap token");
      Optional<EvidenceSinkConfig> sink = evidenceSink(root.child("evidenceSink"));
      if (cluster == null || hub == null || source == null || keys == null || poll == null) {
        return null;
      }
      if (allow == null || state.isEmpty() || health == null || sink == null) {
        return null;
      }
      return new AgentConfig(
          cluster, hub, source, keys, poll, jitter, allow, state.get(), health, token, sink);
    }

    private static ClusterIdentity cluster(ConfigNode node) {
      String fix = "set cluster.namespace and cluster.name to the Cluster object on the hub";
      if (!node.object(true, fix)) {
        return null;
      }
      node.onlyKeys("namespace", "name");
      String ns = dnsLabel(node.child("namespace"), fix);
      String name = dnsLabel(node.child("name"), fix);
      return ns == null || name == null ? null : new ClusterIdentity(ns, name);
    }

    private static String dnsLabel(ConfigNode node, String fix) {
      Optional<String> v = node.text(true, fix);
      if (v.isPresent() && !DNS_LABEL.matcher(v.get()).matches()) {
        node.problem(
            "'" + v.get() + "' is not a DNS label",
            "use at most 63 lower-case letters, digits and '-', starting and ending alphanumeric");
        return null;
      }
      return v.orElse(null);
    }

    private static HubConfig hub(ConfigNode node) {
      String fix = "set hub.address to the gateway's host:port, e.g. kapro-hub.example:8443";
      if (!node.object(true, fix)) {
        return null;
      }
      node.onlyKeys("address", "caFile");
      ConfigNode address = node.child("address");
      Optional<String> text = address.text(true, fix);
      Optional<Path> ca =
          ConfigPaths.path(
              node.child("caFile"), false, Expect.FILE, "point hub.caFile at a PEM CA bundle");
      if (text.isEmpty()) {
        return null;
      }
      BundleSourceReader.HostPort hp = BundleSourceReader.hostPort(address, text.get(), true, fix);
      return hp == null ? null : new HubConfig(hp.host(), hp.port(), ca);
    }

    private static List<Path> trustedKeys(ConfigNode node) {
      String fix = "list the PEM public key files of the hub's signing keys";
      List<ConfigNode> items = node.list(true, fix);
      if (node.present() && items.isEmpty()) {
        node.problem("is empty: no bundle could ever verify", fix);
        return null;
      }
      List<Path> keys = new ArrayList<>();
      var seen = new HashSet<Path>();
      boolean ok = !items.isEmpty();
      for (ConfigNode item : items) {
        Optional<Path> p = ConfigPaths.path(item, true, Expect.FILE, fix);
        if (p.isEmpty()) {
          ok = false;
          continue;
        }
        String pem = ConfigPaths.readSmallFile(item, p.get(), fix);
        if (pem == null || !pem.contains("-----BEGIN PUBLIC KEY-----")) {
          if (pem != null) {
            item.problem(
                p.get() + " is not a PEM public key", "export it with 'cosign public-key'");
          }
          ok = false;
        } else if (!seen.add(p.get())) {
          item.problem(p.get() + " is listed twice", "remove the duplicate");
          ok = false;
        } else {
          keys.add(p.get());
        }
      }
      if (items.size() > 16) {
        node.problem("lists " + items.size() + " keys", "trust at most 16 keys at once");
        ok = false;
      }
      return ok ? keys : null;
    }

    private static Duration pollInterval(ConfigNode node) {
      String fix = "write a duration between 1s and 24h, e.g. 30s or 2m";
      if (!node.present()) {
        return AgentConfig.DEFAULT_POLL_INTERVAL;
      }
      Optional<String> text = node.text(true, fix);
      if (text.isEmpty()) {
        return null;
      }
      try {
        Duration d = Durations.parse(text.get());
        if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofHours(24)) > 0) {
          node.problem("'" + text.get() + "' is outside 1s..24h", fix);
          return null;
        }
        return d;
      } catch (KaproApiException e) {
        node.problem(e.getMessage(), fix);
        return null;
      }
    }

    /** Empty when absent or disabled; null when invalid (problems recorded). */
    private static Optional<EvidenceSinkConfig> evidenceSink(ConfigNode node) {
      if (!node.present()) {
        return Optional.empty();
      }
      if (!node.object(false, "set evidenceSink.enabled: true to write evidence artifacts")) {
        return null;
      }
      node.onlyKeys("enabled", "interval", "credentialsFile");
      ConfigNode enabledNode = node.child("enabled");
      Optional<Boolean> enabled = enabledNode.bool("set evidenceSink.enabled to true or false");
      if (enabledNode.present() && enabled.isEmpty()) {
        return null;
      }
      ConfigNode intervalNode = node.child("interval");
      Duration interval =
          intervalNode.present() ? pollInterval(intervalNode) : EvidenceSinkConfig.DEFAULT_INTERVAL;
      String credFix =
          "point evidenceSink.credentialsFile at a PEM with the private key and the certificate"
              + " the hub CA issued for this cluster, or remove it to sign with the enrollment key";
      ConfigNode credNode = node.child("credentialsFile");
      Optional<Path> creds = ConfigPaths.path(credNode, false, Expect.FILE, credFix);
      boolean credsOk = !credNode.present() || creds.isPresent();
      if (creds.isPresent()) {
        String pem = ConfigPaths.readSmallFile(credNode, creds.get(), credFix);
        if (pem == null) {
          credsOk = false;
        } else if (!pem.contains("PRIVATE KEY-----") || !pem.contains("BEGIN CERTIFICATE")) {
          credNode.problem(
              creds.get() + " does not hold both a PEM private key and a certificate", credFix);
          credsOk = false;
        }
      }
      if (interval == null || !credsOk) {
        return null;
      }
      if (!enabled.orElse(false)) {
        return Optional.empty();
      }
      return Optional.of(new EvidenceSinkConfig(interval, creds));
    }

    private static HealthConfig health(ConfigNode node) {
      if (!node.present()) {
        return new HealthConfig("127.0.0.1", 8081);
      }
      if (!node.object(false, "set health.address and health.port")) {
        return null;
      }
      node.onlyKeys("address", "port");
      ConfigNode addrNode = node.child("address");
      String address =
          addrNode.text(false, "set an IP address such as 127.0.0.1").orElse("127.0.0.1");
      boolean addrOk =
          address.equals("localhost")
              || (IPV4.matcher(address).matches() && ipv4InRange(address))
              || address.matches("[0-9a-fA-F:]+") && address.contains(":");
      if (!addrOk) {
        addrNode.problem(
            "'" + address + "' is not an IP address", "use 127.0.0.1, 0.0.0.0 or an IPv6 literal");
      }
      ConfigNode portNode = node.child("port");
      Optional<Integer> port = portNode.integer(0, 65535, "set a TCP port, e.g. 8081");
      if (!addrOk || (portNode.present() && port.isEmpty())) {
        return null;
      }
      return new HealthConfig(address, port.orElse(8081));
    }

    private static boolean ipv4InRange(String address) {
      for (String part : address.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          return false;
        }
      }
      return true;
    }
  }
}
