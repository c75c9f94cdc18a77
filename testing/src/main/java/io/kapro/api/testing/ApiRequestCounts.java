package io.kapro.api.testing;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests the local API server answered, by verb and resource the way kube-apiserver labels its
 * {@code apiserver_request_total}: verb {@code get}, {@code list}, {@code watch}, {@code create},
 * {@code update}, {@code patch}, {@code delete}, {@code deletecollection}; resource the plural,
 * with the subresource after a slash ({@code clusters/status}); discovery and OpenAPI documents
 * count as resource {@code (discovery)}. Keys read {@code "patch clusters/status"}. Counts are the
 * primary figures of the benchmarks: they do not depend on the machine's load.
 */
public final class ApiRequestCounts {
  private static final Pattern RESOURCE =
      Pattern.compile(
          "^/(?:api/[^/]+|apis/[^/]+/[^/]+)/(?:namespaces/([^/]+)/)?([^/]+)(?:/([^/]+))?(?:/([^/]+))?/?$");

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  /** Counts one request. */
  void count(String method, String path, String query) {
    counts.computeIfAbsent(key(method, path, query), k -> new LongAdder()).increment();
  }

  /**
   * The key a request counts under, e.g. {@code "get clusters"}, {@code "list targets"}, {@code
   * "patch targets/status"}.
   */
  static String key(String method, String path, String query) {
    Matcher m = RESOURCE.matcher(path);
    if (!m.matches()) {
      return method.toLowerCase(java.util.Locale.ROOT) + " (discovery)";
    }
    String plural = m.group(2);
    String name = m.group(3);
    String sub = m.group(4);
    boolean named = name != null;
    String resource = sub == null ? plural : plural + "/" + sub;
    String verb =
        switch (method) {
          case "GET" ->
              query.contains("watch=true") || query.contains("watch=1")
                  ? "watch"
                  : named ? "get" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> named ? "delete" : "deletecollection";
          default -> method.toLowerCase(java.util.Locale.ROOT);
        };
    return verb + " " + resource;
  }

  /** A snapshot, sorted by key. */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Forgets every count. */
  public void reset() {
    counts.clear();
  }

  /**
   * The difference {@code after - before}, keys with zero left out: the requests one operation
   * made.
   */
  public static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> out = new TreeMap<>();
    after.forEach(
        (k, v) -> {
          long d = v - before.getOrDefault(k, 0L);
          if (d != 0) {
            out.put(k, d);
          }
        });
    return out;
  }

  /** The sum of the counts whose verb is a write (create, update, patch, delete...). */
  public static long writes(Map<String, Long> counts) {
    return counts.entrySet().stream()
        .filter(e -> isWrite(e.getKey()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** The sum of all counts. */
  public static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  private static boolean isWrite(String key) {
    String verb = key.substring(0, key.indexOf(' '));
    return switch (verb) {
      case "create", "update", "patch", "delete", "deletecollection" -> true;
      default -> false;
    };
  }
}
