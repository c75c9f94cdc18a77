package io.kapro.oci.store;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to reach a registry.
 *
 * @param host {@code host[:port]}
 * @param plainHttp use {@code http://}; only when explicitly asked for
 * @param credentials how to authenticate
 * @param caFile PEM file with the CA(s) to trust for TLS in addition to the JDK's, or null
 */
public record RegistryConfig(String host, boolean plainHttp, Credentials credentials, Path caFile) {
  public RegistryConfig {
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
