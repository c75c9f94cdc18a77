package io.kapro.oci.store;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * Plain files (a Helm chart repository's {@code index.yaml}) fetched from an HTTP(S) server under
 * the same rules as every registry request: the TLS trust and credentials of a {@link
 * RegistryConfig}, one deadline from request to last byte, a byte limit checked before more is
 * read, redirects followed here (credentials only to the config's hosts, never HTTPS to HTTP).
 * Credentials are sent up front (HTTP basic or bearer), as {@code helm repo add --username} does.
 */
public final class HttpFiles {
  private final RegistryConfig config;
  private final RegistryHttp http;

  public HttpFiles(RegistryConfig config) {
    this.config = config;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(
                config.requestTimeout().compareTo(Duration.ofSeconds(15)) < 0
                    ? config.requestTimeout()
                    : Duration.ofSeconds(15))
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY);
    if (!config.plainHttp()) {
      b.sslContext(RegistryTls.context(config));
    }
    this.http = new RegistryHttp(config, b.build());
  }

  /**
   * The body of {@code uri} (on the config's host); NOT_FOUND for 404, TOO_LARGE past {@code
   * maxBytes}, UNREACHABLE past the deadline, the registry error reasons for other statuses.
   */
  public byte[] get(URI uri, long maxBytes, String what) {
    String authorization =
        switch (config.credentials()) {
          case RegistryConfig.Credentials.Basic c ->
              "Basic "
                  + Base64.getEncoder()
                      .encodeToString(
                          (c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
          case RegistryConfig.Credentials.Bearer c -> "Bearer " + c.token();
          default -> null;
        };
    RegistryHttp.Reply r =
        http.send("GET", uri, Map.of("User-Agent", "kapro-hub"), authorization, maxBytes, what);
    if (r.status() == 404) {
      throw new OciException(Reason.NOT_FOUND, uri + ": " + what + " not found (HTTP 404)");
    }
    if (r.status() < 200 || r.status() >= 300) {
      throw RegistryErrors.forStatus(config, uri + ": " + what + " failed: ", r.status(), null);
    }
    return r.body();
  }
}
