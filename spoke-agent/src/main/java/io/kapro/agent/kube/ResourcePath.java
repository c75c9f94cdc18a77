package io.kapro.agent.kube;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * One API resource (group, version, plural) in one namespace, or in all namespaces when {@code
 * namespace} is null. The agent knows the plural of every kind it touches ({@code ManagedKind},
 * Secrets), so no discovery.
 *
 * @param group empty for the core group
 */
public record ResourcePath(String group, String version, String plural, String namespace) {

  /** Secrets in {@code namespace}. */
  public static ResourcePath secrets(String namespace) {
    return new ResourcePath("", "v1", "secrets", namespace);
  }

  /**
   * The collection's path, e.g. {@code /apis/helm.toolkit.fluxcd.io/v2/namespaces/a/helmreleases}.
   */
  public String path() {
    String base = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    return base + (namespace == null ? "" : "/namespaces/" + segment(namespace)) + "/" + plural;
  }

  /** One object's path. */
  public String path(String name) {
    return path() + "/" + segment(name);
  }

  /** The object for messages: {@code helmreleases.helm.toolkit.fluxcd.io "web" in namespace a}. */
  public String describe(String name) {
    return plural
        + (group.isEmpty() ? "" : "." + group)
        + (name == null ? "" : " \"" + name + "\"")
        + (namespace == null ? " in all namespaces" : " in namespace " + namespace);
  }

  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
