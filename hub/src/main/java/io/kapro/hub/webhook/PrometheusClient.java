package io.kapro.hub.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kapro.hub.gate.Measurement.Sample;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an instant query against a Prometheus-compatible HTTP API ({@code POST
 * <address>/api/v1/query}, form-encoded, as the Prometheus HTTP API documents) for a metrics gate.
 * The server is a peer Kapro does not control: the destination passes the same guard as webhook
 * gates, redirects are not followed, the answer is read up to {@value #MAX_BODY} bytes within the
 * gate's timeout, at most {@value #MAX_SERIES} series are accepted, and every refusal says what to
 * change. Never throws for the remote side's behaviour: problems come back as an error.
 */
public final class PrometheusClient {
  private static final Logger LOG = LoggerFactory.getLogger(PrometheusClient.class);

  /** Largest answer read. */
  static final int MAX_BODY = 256 * 1024;

  /** Most series one query may return. */
  static final int MAX_SERIES = 100;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How a query authenticates: a bearer token, a user and password, or nothing. */
  public sealed interface Auth {
    record None() implements Auth {}

    record Bearer(String token) implements Auth {}

    record Basic(String username, String password) implements Auth {}
  }

  /** The answer: the samples of an instant vector or scalar, or why there are none. */
  public sealed interface Answer {
    record Samples(List<Sample> samples) implements Answer {
      public Samples {
        samples = List.copyOf(samples);
      }
    }

    record Failure(String message) implements Answer {}
  }

  private final DestinationGuard guard;
  private final HttpClient defaultHttp;

  public PrometheusClient(boolean allowPrivateDestinations) {
    this(new DestinationGuard(allowPrivateDestinations, InetAddress::getAllByName));
  }

  PrometheusClient(DestinationGuard guard) {
    this.guard = guard;
    this.defaultHttp = http(null);
  }

  private static HttpClient http(SSLContext tls) {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(10));
    if (tls != null) {
      b.sslContext(tls);
    }
    return b.build();
  }

  /**
   * Runs {@code query} at {@code address}.
   *
   * @param tls the trust for https (null: the JDK's CAs)
   */
  public Answer query(String address, String query, Duration timeout, Auth auth, SSLContext tls) {
    URI base;
    try {
      base = URI.create(address);
    } catch (IllegalArgumentException e) {
      return new Answer.Failure("metrics.address \"" + address + "\" is not a URL");
    }
    String refusal =
        guard.refusal(
            base,
            "metrics gate",
            "set the Fleet's spec.webhooks.allowPrivateDestinations: true (it covers metrics gates"
                + " too) if this Prometheus is meant to be in a private network");
    if (refusal != null) {
      return new Answer.Failure("metrics.address: " + refusal);
    }
    if (!(auth instanceof Auth.None) && !"https".equals(base.getScheme())) {
      return new Answer.Failure(
          "metrics.secretRef holds credentials but metrics.address is not https: credentials"
              + " are only sent over TLS; use an https address");
    }
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    URI endpoint =
        base.resolve((path.endsWith("/") ? path : path + "/") + "api/v1/query").normalize();
    String form =
        "query="
            + URLEncoder.encode(query, StandardCharsets.UTF_8)
            + "&timeout="
            + Math.max(1, timeout.toSeconds())
            + "s";
    HttpRequest.Builder req =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .header("User-Agent", "kapro-hub")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    switch (auth) {
      case Auth.Bearer b -> req.header("Authorization", "Bearer " + b.token());
      case Auth.Basic b ->
          req.header(
              "Authorization",
              "Basic "
                  + Base64.getEncoder()
                      .encodeToString(
                          (b.username() + ":" + b.password()).getBytes(StandardCharsets.UTF_8)));
      case Auth.None n -> {}
    }
    HttpClient http = tls == null ? defaultHttp : http(tls);
    try {
      HttpResponse<InputStream> response =
          http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
      byte[] body;
      try (InputStream in = response.body()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      return judge(response.statusCode(), body);
    } catch (HttpTimeoutException e) {
      return new Answer.Failure(
          "no answer from " + endpoint + " within metrics.timeout " + timeout.toSeconds() + "s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer.Failure("interrupted while querying " + endpoint);
    } catch (IOException | IllegalArgumentException e) {
      LOG.debug("metrics query to {} failed", endpoint, e);
      return new Answer.Failure(
          "cannot query "
              + endpoint
              + ": "
              + WebhookGateClient.clean(String.valueOf(e.getMessage()))
              + " (check metrics.address and that Prometheus is up)");
    }
  }

  /** Reads an answer of the Prometheus HTTP API ({@code /api/v1/query}). */
  static Answer judge(int status, byte[] body) {
    if (body.length > MAX_BODY) {
      return new Answer.Failure("answer larger than " + MAX_BODY + " bytes; aggregate the query");
    }
    if (status >= 300 && status < 400) {
      return new Answer.Failure(
          "answered HTTP "
              + status
              + " (a redirect, not followed); set metrics.address to the"
              + " final URL");
    }
    if (status == 401 || status == 403) {
      return new Answer.Failure(
          "answered HTTP "
              + status
              + ": not authorized; check the token or username/password in metrics.secretRef");
    }
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      json = null;
    }
    if (json == null || !json.isObject()) {
      return new Answer.Failure(
          "answered HTTP "
              + status
              + " without a Prometheus API JSON body; is metrics.address a Prometheus server?");
    }
    if (!"success".equals(json.path("status").asText())) {
      return new Answer.Failure(
          "query failed (HTTP "
              + status
              + ", "
              + WebhookGateClient.clean(json.path("errorType").asText("unknown"))
              + "): "
              + WebhookGateClient.clean(json.path("error").asText("no error message"))
              + "; fix metrics.query");
    }
    if (status < 200 || status >= 300) {
      return new Answer.Failure("answered HTTP " + status);
    }
    JsonNode data = json.path("data");
    String type = data.path("resultType").asText("");
    JsonNode result = data.path("result");
    try {
      return switch (type) {
        case "scalar" -> new Answer.Samples(List.of(new Sample("scalar", value(result))));
        case "vector" -> vector(result);
        default ->
            new Answer.Failure(
                "query returned a "
                    + (type.isEmpty() ? "result without resultType" : type)
                    + "; metrics.query must give an instant vector or a scalar (wrap a range"
                    + " selector in a function such as rate() or max_over_time())");
      };
    } catch (IllegalArgumentException e) {
      return new Answer.Failure("malformed answer: " + e.getMessage());
    }
  }

  private static Answer vector(JsonNode result) {
    if (!result.isArray()) {
      throw new IllegalArgumentException("data.result is not an array");
    }
    if (result.size() > MAX_SERIES) {
      return new Answer.Failure(
          "query returned "
              + result.size()
              + " series, more than "
              + MAX_SERIES
              + "; aggregate it in metrics.query (e.g. max by (pod) (...))");
    }
    List<Sample> samples = new ArrayList<>();
    for (JsonNode s : result) {
      samples.add(new Sample(series(s.path("metric")), value(s.path("value"))));
    }
    return new Answer.Samples(samples);
  }

  /** A [time, "value"] pair's value; Prometheus writes NaN, +Inf and -Inf as such. */
  private static double value(JsonNode pair) {
    if (!pair.isArray() || pair.size() != 2 || !pair.get(1).isTextual()) {
      throw new IllegalArgumentException("a sample is not [time, \"value\"]");
    }
    String v = pair.get(1).asText();
    return switch (v) {
      case "NaN" -> Double.NaN;
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(v);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "\"" + WebhookGateClient.clean(v) + "\" is not a number");
        }
      }
    };
  }

  /** {labels} in Prometheus' own notation, sorted, at most 200 characters. */
  private static String series(JsonNode metric) {
    Map<String, String> labels = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = metric.fields(); it.hasNext(); ) {
      var e = it.next();
      labels.put(e.getKey(), e.getValue().asText());
    }
    StringBuilder sb = new StringBuilder("{");
    labels.forEach(
        (k, v) ->
            sb.append(sb.length() > 1 ? "," : "").append(k).append("=\"").append(v).append('"'));
    return WebhookGateClient.clean(sb.append('}').toString());
  }
}
