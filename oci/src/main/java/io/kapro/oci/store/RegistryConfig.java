package io.kapro.oci.store;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How to reach a registry.
 *
 * @param host {@code host[:port]}
 * @param plainHttp use {@code http://}; only when explicitly asked for
 * @param credentials how to authenticate
 * @param caFile PEM file with the CA(s) to trust for TLS in addition to the JDK's, or null
 * @param authHosts other host names (no port) that may receive the credentials: a token realm or a
 *     redirect target on another host gets credentials only when it is named here
 * @param requestTimeout the most one request may take, from sending it to the last byte of the
 *     answer (a registry that stalls or streams forever costs this, then fails)
 */
public record RegistryConfig(
    String host,
    boolean plainHttp,
    Credentials credentials,
    Path caFile,
    Set<String> authHosts,
    Duration requestTimeout) {
  /** Per-request deadline when none is configured. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  public RegistryConfig(String host, boolean plainHttp, Credentials credentials, Path caFile) {
    this(host, plainHttp, credentials, caFile, Set.of(), DEFAULT_REQUEST_TIMEOUT);
  }

  public RegistryConfig {
    authHosts =
        authHosts == null
            ? Set.of()
            : authHosts.stream()
                .map(h -> h.toLowerCase(java.util.Locale.ROOT))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    for (String h : authHosts) {
      if (h.isBlank() || h.contains("/") || h.contains(":") || h.contains("*")) {
        throw new OciException(
            Reason.INVALID_INPUT,
            "registry authHosts entry '"
                + h
                + "' must be a plain host name without scheme, port, path or wildcard");
      }
    }
    requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
    if (requestTimeout.isNegative()
        || requestTimeout.isZero()
        || requestTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new OciException(
          Reason.INVALID_INPUT,
          "registry requestTimeout must be between 1ms and 10m, got " + requestTimeout);
    }
    if (host == null || host.isBlank() || host.contains("/")) {
      throw new OciException(
          Reason.INVALID_INPUT,
          "registry host must be host[:port] without scheme or path, got '" + host + "'");
    }
    credentials = credentials == null ? new Credentials.None() : credentials;
    if (caFile != null && !Files.isReadable(caFile)) {
      throw new OciException(
          Reason.INVALID_INPUT,
          "registry CA file " + caFile + " does not exist or is not readable");
    }
    if (caFile != null && plainHttp) {
      throw new OciException(
          Reason.INVALID_INPUT,
          "registry " + host + ": a CA file makes no sense with plain HTTP; drop one of them");
    }
  }

  /**
   * From a Fleet-style URL: {@code reg.example:5000}, {@code https://reg.example} or {@code
   * http://127.0.0.1:5000}. Plain HTTP needs {@code insecure=true}; an {@code http://} URL without
   * it is an error rather than a silent downgrade.
   */
  public static RegistryConfig parse(
      String url, boolean insecure, Credentials credentials, Path caFile) {
    Objects.requireNonNull(url, "registry url");
    String host = url;
    boolean http = insecure;
    if (url.contains("://")) {
      URI u = URI.create(url);
      if ("http".equals(u.getScheme()) && !insecure) {
        throw new OciException(
            Reason.INVALID_INPUT,
            "registry url "
                + url
                + " is plain HTTP; set registry.insecure=true to allow it, or use https://");
      }
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
        throw new OciException(
            Reason.INVALID_INPUT, "registry url " + url + ": scheme must be http or https");
      }
      http = "http".equals(u.getScheme());
      host = u.getAuthority();
      if (u.getPath() != null && !u.getPath().isEmpty() && !"/".equals(u.getPath())) {
        throw new OciException(
            Reason.INVALID_INPUT,
            "registry url " + url + " has a path; put it in the repository prefix instead");
      }
    }
    return new RegistryConfig(host, http, credentials, caFile);
  }

  public static RegistryConfig plainHttp(String host) {
    return new RegistryConfig(host, true, new Credentials.None(), null);
  }

  /** The same registry; credentials may also go to these other host names. */
  public RegistryConfig withAuthHosts(Set<String> hosts) {
    return new RegistryConfig(host, plainHttp, credentials, caFile, hosts, requestTimeout);
  }

  /** The same registry with another per-request deadline. */
  public RegistryConfig withRequestTimeout(Duration timeout) {
    return new RegistryConfig(host, plainHttp, credentials, caFile, authHosts, timeout);
  }

  /** The registry's host name, without port, lower case. */
  public String hostName() {
    return URI.create("http://" + host).getHost().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Whether credentials may be sent to {@code uri}: it is on the registry's own host name or one of
   * {@link #authHosts}, and it is HTTPS unless the registry itself is plain HTTP.
   */
  public boolean mayReceiveCredentials(URI uri) {
    if (uri.getHost() == null) {
      return false;
    }
    if (!plainHttp && !"https".equalsIgnoreCase(uri.getScheme())) {
      return false;
    }
    String h = uri.getHost().toLowerCase(java.util.Locale.ROOT);
    return h.equals(hostName()) || authHosts.contains(h);
  }

  /** {@code http://host} or {@code https://host}. */
  public String baseUrl() {
    return (plainHttp ? "http://" : "https://") + host;
  }

  /** Registry credentials. */
  public sealed interface Credentials {
    /** Anonymous. */
    record None() implements Credentials {}

    /** Username and password (HTTP basic, or exchanged for a token when the registry asks). */
    record Basic(String username, String password) implements Credentials {
      public Basic {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
      }

      @Override
      public String toString() {
        return "Basic[" + username + "]";
      }
    }

    /** A bearer token sent as is. */
    record Bearer(String token) implements Credentials {
      public Bearer {
        Objects.requireNonNull(token, "token");
      }

      @Override
      public String toString() {
        return "Bearer[***]";
      }
    }
  }
}
