package io.kapro.hub.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kapro.hub.webhook.DestinationGuard;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/**
 * POSTs one event in CloudEvents HTTP binary mode: attributes as {@code ce-*} headers, data as the
 * JSON body, and the {@link Signatures#HEADER} when a key is given. Redirects are not followed,
 * proxies not used, and the destination must pass the {@link DestinationGuard}.
 */
final class CloudEventSender {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The outcome: null error means delivered (2xx). */
  record Result(int status, String error) {
    boolean ok() {
      return error == null;
    }
  }

  private final HttpClient http;
  private final Clock clock;
  private final Duration timeout;

  CloudEventSender(Clock clock, Duration timeout) {
    this.clock = clock;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(timeout)
            .build();
  }

  Result send(CloudEvent e, String url, byte[] key, DestinationGuard guard) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException ex) {
      return new Result(0, "sink URL " + url + " is not a URL: " + ex.getMessage());
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      return new Result(0, "sink URL " + url + " must be http or https");
    }
    String refusal = guard.refusal(uri);
    if (refusal != null) {
      return new Result(0, refusal);
    }
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(e.data());
    } catch (JsonProcessingException ex) {
      return new Result(0, "event data not serializable: " + ex.getOriginalMessage());
    }
    HttpRequest.Builder req =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("ce-specversion", "1.0")
            .header("ce-id", e.id())
            .header("ce-source", e.source())
            .header("ce-type", e.type())
            .header("ce-time", e.time())
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (e.subject() != null) {
      req.header("ce-subject", e.subject());
    }
    if (key != null) {
      req.header(
          Signatures.HEADER,
          Signatures.header(key, clock.instant().getEpochSecond(), e.id(), body));
    }
    try {
      HttpResponse<Void> resp = http.send(req.build(), HttpResponse.BodyHandlers.discarding());
      int status = resp.statusCode();
      return status / 100 == 2
          ? new Result(status, null)
          : new Result(status, "sink answered HTTP " + status);
    } catch (IOException ex) {
      return new Result(
          0, "sink unreachable: " + ex.getClass().getSimpleName() + " " + ex.getMessage());
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return new Result(0, "interrupted");
    }
  }
}
