package io.kapro.oci.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.CanonicalJson;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import land.oras.ContainerRef;
import land.oras.auth.AuthProvider;
import land.oras.auth.AuthScheme;

/**
 * Registry authentication for oras-java: finds out once what the registry asks for ({@code GET
 * /v2/}: nothing, {@code Basic}, or a {@code Bearer} token realm), then answers every request with
 * the right header. For token realms it runs the token flow itself (basic credentials, or
 * anonymous, against the realm; tokens cached per repository until they expire), because oras-java
 * 0.7.0 loses the token on monolithic blob uploads against distribution 2.8.
 */
final class RegistryAuth implements AuthProvider {
  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  /** Bound for a token server's answer. */
  static final long MAX_TOKEN_BYTES = 64 * 1024;

  private final RegistryConfig config;
  private final RegistryHttp http;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private volatile Challenge challenge;

  RegistryAuth(RegistryConfig config, RegistryHttp http) {
    this.config = config;
    this.http = http;
  }

  private record Challenge(String scheme, String realm, String service) {}

  private record Token(String value, Instant expires) {}

  @Override
  public String getAuthHeader(ContainerRef ref) {
    if (config.credentials() instanceof RegistryConfig.Credentials.Bearer b) {
      return "Bearer " + b.token();
    }
    Challenge c = challenge();
    return switch (c.scheme()) {
      case "basic" ->
          config.credentials() instanceof RegistryConfig.Credentials.Basic basic
              ? basic(basic)
              : null;
      case "bearer" ->
          "Bearer " + token(c, "repository:" + ref.getFullRepository() + ":pull,push").value();
      default -> null;
    };
  }

  @Override
  public AuthScheme getAuthScheme() {
    if (config.credentials() instanceof RegistryConfig.Credentials.Bearer) {
      return AuthScheme.BEARER;
    }
    return switch (challenge().scheme()) {
      case "basic" ->
          config.credentials() instanceof RegistryConfig.Credentials.Basic
              ? AuthScheme.BASIC
              : AuthScheme.NONE;
      case "bearer" -> AuthScheme.BEARER;
      default -> AuthScheme.NONE;
    };
  }

  private Challenge challenge() {
    Challenge c = challenge;
    if (c == null) {
      synchronized (this) {
        if (challenge == null) {
          challenge = discover();
        }
        c = challenge;
      }
    }
    return c;
  }

  private Challenge discover() {
    RegistryHttp.Reply r =
        http.send(
            "GET",
            URI.create(config.baseUrl() + "/v2/"),
            Map.of(),
            null,
            RegistryHttp.SMALL_BODY,
            "probe " + config.baseUrl() + "/v2/");
    if (r.status() != 401) {
      return new Challenge("none", null, null);
    }
    String header = r.headers().firstValue("WWW-Authenticate").orElse("");
    String scheme = header.split(" ", 2)[0].toLowerCase(Locale.ROOT);
    Map<String, String> params = new java.util.HashMap<>();
    Matcher m = PARAM.matcher(header);
    while (m.find()) {
      params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
    }
    if ("bearer".equals(scheme) && params.containsKey("realm")) {
      return new Challenge("bearer", params.get("realm"), params.get("service"));
    }
    return new Challenge("basic".equals(scheme) ? "basic" : "none", null, null);
  }

  /** The Authorization header for a token scope such as {@code registry:catalog:*}, or null. */
  String headerFor(String scope) {
    if (config.credentials() instanceof RegistryConfig.Credentials.Bearer b) {
      return "Bearer " + b.token();
    }
    Challenge c = challenge();
    return switch (c.scheme()) {
      case "basic" ->
          config.credentials() instanceof RegistryConfig.Credentials.Basic basic
              ? basic(basic)
              : null;
      case "bearer" -> "Bearer " + token(c, scope).value();
      default -> null;
    };
  }

  private Token token(Challenge c, String scope) {
    Token t = tokens.get(scope);
    if (t != null && Instant.now().isBefore(t.expires())) {
      return t;
    }
    URI realm = realm(c.realm());
    StringBuilder url = new StringBuilder(c.realm()).append(c.realm().contains("?") ? '&' : '?');
    if (c.service() != null) {
      url.append("service=")
          .append(URLEncoder.encode(c.service(), StandardCharsets.UTF_8))
          .append('&');
    }
    url.append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
    String authorization =
        config.credentials() instanceof RegistryConfig.Credentials.Basic basic
            ? basic(basic)
            : null;
    if (authorization != null && !config.mayReceiveCredentials(realm)) {
      throw new OciException(
          Reason.AUTH_FAILED,
          "registry "
              + config.baseUrl()
              + ": the token realm "
              + realm.getScheme()
              + "://"
              + realm.getAuthority()
              + " is "
              + (!config.plainHttp() && !"https".equalsIgnoreCase(realm.getScheme())
                  ? "plain HTTP while the registry is HTTPS; refusing to send credentials over it"
                      + " (serve the token endpoint over https)"
                  : "on another host; refusing to send the registry credentials there (if that"
                      + " host is the registry's own token server, add "
                      + realm.getHost()
                      + " to registry.authHosts)"));
    }
    RegistryHttp.Reply r =
        http.send(
            "GET",
            URI.create(url.toString()),
            Map.of(),
            authorization,
            MAX_TOKEN_BYTES,
            "get a token from " + c.realm());
    if (r.status() == 401 || r.status() == 403) {
      throw new OciException(
          Reason.AUTH_FAILED,
          "registry "
              + config.baseUrl()
              + ": the token server "
              + c.realm()
              + " refused the credentials (HTTP "
              + r.status()
              + ", sent "
              + config.credentials()
              + "); check the username and password"
              + " (Fleet registry.credentialsSecretRef / --username)");
    }
    if (r.status() != 200) {
      throw RegistryErrors.forStatus(
          config,
          "registry " + config.baseUrl() + ": token request to " + c.realm() + " failed: ",
          r.status(),
          null);
    }
    try {
      JsonNode body = CanonicalJson.readStrict(r.body());
      String value = body.path("token").asText(body.path("access_token").asText(""));
      if (value.isEmpty()) {
        throw new IOException("no token in the answer");
      }
      long ttl = Math.max(60, body.path("expires_in").asLong(60));
      Token fresh = new Token(value, Instant.now().plusSeconds(ttl - 30));
      tokens.put(scope, fresh);
      return fresh;
    } catch (IOException e) {
      throw new OciException(
          Reason.PROTOCOL_ERROR,
          "registry "
              + config.baseUrl()
              + ": the token server "
              + c.realm()
              + " answered nonsense: "
              + e.getMessage());
    }
  }

  private static String basic(RegistryConfig.Credentials.Basic b) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((b.username() + ":" + b.password()).getBytes(StandardCharsets.UTF_8));
  }

  private URI realm(String value) {
    try {
      URI u = new URI(value);
      if (u.getHost() == null
          || !("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme()))) {
        throw new URISyntaxException(value, "not an absolute http(s) URL");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new OciException(
          Reason.PROTOCOL_ERROR,
          "registry "
              + config.baseUrl()
              + ": the token realm '"
              + value
              + "' in WWW-Authenticate is not an absolute http(s) URL");
    }
  }
}
