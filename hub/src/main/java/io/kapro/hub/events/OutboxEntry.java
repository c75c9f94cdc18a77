package io.kapro.hub.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One pending delivery: an event for one sink, with its attempts so far.
 *
 * @param fleet the Fleet whose sink this is (dead letters are counted on it)
 * @param secretName Secret holding the HMAC key, or null to send unsigned
 * @param firstAt when it was queued (RFC 3339); with {@code maxAge} decides when to give up
 * @param nextAt earliest next attempt (RFC 3339)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutboxEntry(
    CloudEvent event,
    String fleet,
    String url,
    String secretName,
    String secretKey,
    int attempts,
    String firstAt,
    String nextAt,
    String lastError) {

  /** Identifies the sink: entries of one sink are delivered in order. */
  String sinkId() {
    return io.kapro.hub.kube.ResourceNames.sha256(
            fleet + "|" + url + "|" + secretName + "|" + secretKey)
        .substring(0, 12);
  }

  OutboxEntry failed(String error, String next) {
    return new OutboxEntry(
        event, fleet, url, secretName, secretKey, attempts + 1, firstAt, next, error);
  }
}
