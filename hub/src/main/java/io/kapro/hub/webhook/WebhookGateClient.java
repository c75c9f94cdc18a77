package io.kapro.hub.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kapro.hub.gate.GateCheck;
import io.kapro.hub.gate.WebhookObservation;
import io.kapro.hub.gate.WebhookRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a webhook gate: POSTs the {@link WebhookRequest} as JSON within the gate's timeout, follows
 * no redirects, and refuses private destinations unless the Fleet allows them. The gate passes only
 * on a 2xx answer whose JSON body has {@code "pass": true}; anything else fails it with a message
 * saying why. Never throws for the remote side's behaviour.
 */
public final class WebhookGateClient {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookGateClient.class);
  private static final int MAX_BODY = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final DestinationGuard guard;
  private final Clock clock;

  public WebhookGateClient(boolean allowPrivateDestinations) {
    this(allowPrivateDestinations, InetAddress::getAllByName, Clock.systemUTC());
  }

  WebhookGateClient(
      boolean allowPrivateDestinations, DestinationGuard.Resolver resolver, Clock clock) {
    this.guard = new DestinationGuard(allowPrivateDestinations, resolver);
    this.clock = clock;
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();
  }

  /** Calls the gate's webhook for one wave and returns its answer as an observation. */
  public WebhookObservation call(GateCheck.WebhookCheck gate, WebhookRequest request) {
    String refusal = guard.refusal(URI.create(gate.url()));
    if (refusal != null) {
      LOG.info("webhook gate {} of stage {}: {}", gate.name(), request.stage(), refusal);
      return observation(request, false, refusal);
    }
    try {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(URI.create(gate.url()))
              .timeout(gate.timeout())
              .header("Content-Type", "application/json")
              .header("User-Agent", "kapro-hub")
              .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(request)));
      for (Map.Entry<String, String> h : gate.headers().entrySet()) {
        builder.header(h.getKey(), h.getValue());
      }
      HttpResponse<InputStream> response =
          http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
      return judge(request, response);
    } catch (HttpTimeoutException e) {
      return observation(request, false, "no answer within " + gate.timeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return observation(request, false, "interrupted while calling the webhook");
    } catch (IOException | IllegalArgumentException e) {
      LOG.debug("webhook gate {} call failed", gate.name(), e);
      return observation(
          request, false, "could not call the webhook: " + clean(String.valueOf(e.getMessage())));
    }
  }

  private WebhookObservation judge(WebhookRequest request, HttpResponse<InputStream> response)
      throws IOException {
    byte[] body;
    try (InputStream in = response.body()) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    int status = response.statusCode();
    if (status >= 300 && status < 400) {
      String location = response.headers().firstValue("Location").orElse("nowhere");
      return observation(
          request,
          false,
          "answered HTTP "
              + status
              + " (redirect to "
              + clean(location)
              + "); redirects are not followed");
    }
    if (status < 200 || status >= 300) {
      return observation(request, false, "answered HTTP " + status);
    }
    if (body.length > MAX_BODY) {
      return observation(request, false, "answer larger than " + MAX_BODY + " bytes");
    }
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      return observation(request, false, "answer is not JSON; expected {\"pass\": true|false}");
    }
    if (json == null || !json.isObject() || !json.path("pass").isBoolean()) {
      return observation(
          request, false, "answer has no boolean \"pass\"; expected {\"pass\": true|false}");
    }
    boolean pass = json.get("pass").booleanValue();
    String message = json.path("message").isTextual() ? clean(json.get("message").textValue()) : "";
    String prefix = pass ? "webhook passed" : "webhook said no";
    return observation(request, pass, message.isEmpty() ? prefix : prefix + ": " + message);
  }

  private WebhookObservation observation(WebhookRequest r, boolean pass, String message) {
    return new WebhookObservation(r.stage(), r.wave(), r.gate(), pass, message, clock.instant());
  }

  /** Printable, single-line, at most 200 characters: remote text ends up in status fields. */
  static String clean(String text) {
    StringBuilder sb = new StringBuilder();
    for (char c : text.toCharArray()) {
      sb.append(Character.isISOControl(c) ? ' ' : c);
      if (sb.length() >= 200) {
        sb.append('…');
        break;
      }
    }
    return sb.toString().strip();
  }
}
