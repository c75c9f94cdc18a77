package io.kapro.agent.config;

import io.kapro.agent.config.ConfigPaths.Expect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code bundleSource}: exactly one of a registry or an OCI layout; also host:port parsing.
 */
final class BundleSourceReader {
  private static final Pattern REPOSITORY =
      Pattern.compile(
          "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern HOST =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.\\-]{0,251}[A-Za-z0-9])?");

  private BundleSourceReader() {}

  record HostPort(String host, int port) {}

  static HostPort hostPort(ConfigNode node, String text, boolean needPort, String fix) {
    String host = text;
    int port = -1;
    int colon = text.lastIndexOf(':');
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        node.problem("'" + text + "' has an unclosed '['", fix);
        return null;
      }
      host = text.substring(1, close);
      colon = text.indexOf(':', close);
    } else if (colon >= 0) {
      host = text.substring(0, colon);
    }
    if (colon >= 0) {
      String p = text.substring(colon + 1);
      if (!p.matches("\\d{1,5}") || Integer.parseInt(p) < 1 || Integer.parseInt(p) > 65535) {
        node.problem("'" + p + "' is not a port (1-65535)", fix);
        return null;
      }
      port = Integer.parseInt(p);
    }
    boolean hostOk = HOST.matcher(host).matches() || (text.startsWith("[") && host.contains(":"));
    if (!hostOk) {
      node.problem("'" + host + "' is not a host name or IP address", fix);
      return null;
    }
    if (needPort && port < 0) {
      node.problem("'" + text + "' has no port", fix);
      return null;
    }
    return new HostPort(host, port);
  }

  static BundleSource read(ConfigNode node) {
    String fix = "set exactly one of bundleSource.registry or bundleSource.layout";
    if (!node.object(true, fix)) {
      return null;
    }
    node.onlyKeys("registry", "layout");
    ConfigNode registry = node.child("registry");
    ConfigNode layout = node.child("layout");
    if (registry.present() == layout.present()) {
      node.problem(
          registry.present() ? "has both registry and layout" : "has neither registry nor layout",
          fix);
      return null;
    }
    if (layout.present()) {
      if (!layout.object(true, fix)) {
        return null;
      }
      layout.onlyKeys("path");
      return ConfigPaths.path(
              layout.child("path"),
              true,
              Expect.ANY,
              "set bundleSource.layout.path to the OCI layout directory")
          .map(BundleSource.Layout::new)
          .orElse(null);
    }
    return registry(registry);
  }

  private static BundleSource registry(ConfigNode node) {
    String fix = "set bundleSource.registry.url (host:port or https://host) and repository";
    if (!node.object(true, fix)) {
      return null;
    }
    node.onlyKeys(
        "url",
        "repository",
        "insecure",
        "username",
        "password",
        "passwordFile",
        "credentialsFile",
        "caFile",
        "authHosts",
        "requestTimeout");
    boolean insecure =
        node.child("insecure")
            .bool("set insecure: true only for a plain-HTTP registry")
            .orElse(false);
    String url = registryUrl(node.child("url"), insecure, fix);
    ConfigNode repoNode = node.child("repository");
    Optional<String> repo =
        repoNode.text(true, "set the cluster's repository, e.g. kapro/team-a/prod");
    if (repo.isPresent()
        && (repo.get().length() > 255 || !REPOSITORY.matcher(repo.get()).matches())) {
      repoNode.problem(
          "'" + repo.get() + "' is not an OCI repository name",
          "use lower-case path components separated by '/', e.g. kapro/team-a/prod-eu-1");
      repo = Optional.empty();
    }
    RegistryCredentials creds = CredentialsReader.read(node);
    Optional<Path> ca =
        ConfigPaths.path(
            node.child("caFile"),
            false,
            Expect.FILE,
            "point caFile at the PEM CA bundle of the registry");
    Set<String> authHosts = authHosts(node.child("authHosts"));
    Duration timeout = requestTimeout(node.child("requestTimeout"));
    if (url == null || repo.isEmpty() || creds == null || authHosts == null || timeout == null) {
      return null;
    }
    return new BundleSource.Registry(url, repo.get(), insecure, creds, ca, authHosts, timeout);
  }

  /** Host names (no scheme, port or wildcard); null when invalid (problems recorded). */
  private static Set<String> authHosts(ConfigNode node) {
    String fix = "list plain host names, e.g. [auth.example.com]";
    if (!node.present()) {
      return Set.of();
    }
    Set<String> out = new java.util.TreeSet<>();
    boolean ok = true;
    for (ConfigNode item : node.list(false, fix)) {
      Optional<String> h = item.text(true, fix);
      if (h.isEmpty()) {
        ok = false;
      } else if (!HOST.matcher(h.get()).matches()) {
        item.problem("'" + h.get() + "' is not a plain host name", fix);
        ok = false;
      } else {
        out.add(h.get().toLowerCase(java.util.Locale.ROOT));
      }
    }
    return ok ? out : null;
  }

  private static Duration requestTimeout(ConfigNode node) {
    String fix = "write a duration between 1s and 10m, e.g. 30s";
    if (!node.present()) {
      return io.kapro.oci.store.RegistryConfig.DEFAULT_REQUEST_TIMEOUT;
    }
    Optional<String> text = node.text(true, fix);
    if (text.isEmpty()) {
      return null;
    }
    try {
      Duration d = io.kapro.api.Durations.parse(text.get());
      if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofMinutes(10)) > 0) {
        node.problem("'" + text.get() + "' is outside 1s..10m", fix);
        return null;
      }
      return d;
    } catch (io.kapro.api.KaproApiException | IllegalArgumentException e) {
      node.problem(e.getMessage(), fix);
      return null;
    }
  }

  private static String registryUrl(ConfigNode node, boolean insecure, String fix) {
    Optional<String> text = node.text(true, fix);
    if (text.isEmpty()) {
      return null;
    }
    String url = text.get();
    String rest = url;
    if (url.startsWith("https://")) {
      rest = url.substring(8);
    } else if (url.startsWith("http://")) {
      rest = url.substring(7);
      if (!insecure) {
        node.problem("'" + url + "' is plain HTTP", "use https:// or set insecure: true");
        return null;
      }
    } else if (url.contains("://")) {
      node.problem("'" + url + "' has an unsupported scheme", "use https://, http:// or host:port");
      return null;
    }
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    if (rest.contains("/") || rest.contains("@") || rest.contains("?")) {
      node.problem(
          "'" + url + "' must be only the registry host[:port]",
          "put the repository path into bundleSource.registry.repository");
      return null;
    }
    return hostPort(node, rest, false, fix) == null ? null : url;
  }
}
