package io.kapro.hub.gate;

import java.util.List;
import java.util.Map;

/** What a webhook gate is asked about: sent as the JSON body of the POST. */
public record WebhookRequest(
    String run,
    String stage,
    int wave,
    String gate,
    List<String> clusters,
    Map<String, String> units) {
  public WebhookRequest {
    clusters = List.copyOf(clusters);
    units = Map.copyOf(units);
  }
}
