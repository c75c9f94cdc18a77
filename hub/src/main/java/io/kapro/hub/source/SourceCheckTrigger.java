package io.kapro.hub.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.v1alpha2.Source;
import io.kapro.hub.events.inbound.BuildTrigger;
import io.kapro.hub.events.inbound.InboundEvent;
import io.kapro.hub.events.inbound.InboundException;
import io.kapro.hub.events.inbound.InboundException.Reason;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The trigger rule for {@value #TYPE} with data {@code {source}} or {@code {fleet}}: sets
 * annotation {@link SourceReconciler#CHECK_REQUESTED_AT} on the named Source (or on every Source of
 * the fleet), so the hub checks it now instead of at its next interval. A registry's or CI's
 * webhook can send it after a push, through the same authenticated, rate-limited endpoint as build
 * events.
 */
public final class SourceCheckTrigger {
  public static final String TYPE = "io.kapro.source.check";
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  private final KubernetesClient client;
  private final Clock clock;

  public SourceCheckTrigger(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public BuildTrigger.Outcome apply(String namespace, InboundEvent event) {
    JsonNode data = event.data();
    if (data == null || !data.isObject()) {
      throw new InboundException(
          Reason.MALFORMED, "data: must be a JSON object {source} or {fleet}");
    }
    String source = field(data, "source");
    String fleet = field(data, "fleet");
    if ((source == null) == (fleet == null)) {
      throw new InboundException(Reason.MALFORMED, "data: give exactly one of source or fleet");
    }
    var sources = client.resources(Source.class).inNamespace(namespace);
    List<Source> targets =
        source != null
            ? (sources.withName(source).get() == null
                ? List.of()
                : List.of(sources.withName(source).get()))
            : sources.list().getItems().stream()
                .filter(s -> s.getSpec() != null && fleet.equals(s.getSpec().getFleet()))
                .toList();
    if (targets.isEmpty()) {
      throw new InboundException(
          Reason.UNPROCESSABLE,
          source != null
              ? "data.source: Source " + source + " does not exist in " + namespace
              : "data.fleet: no Source in " + namespace + " feeds Fleet " + fleet);
    }
    // full precision: two requests within one second must both change the annotation
    String now = clock.instant().toString();
    for (Source s : targets) {
      request(client, s, now);
    }
    return new BuildTrigger.Outcome(source != null ? source : "fleet " + fleet, "check-requested");
  }

  /** Asks the hub to check {@code s} now (also what {@code kapro sources --check} does). */
  static void request(KubernetesClient client, Source s, String now) {
    client
        .resources(Source.class)
        .inNamespace(s.getMetadata().getNamespace())
        .withName(s.getMetadata().getName())
        .edit(
            cur -> {
              var a =
                  new HashMap<>(
                      cur.getMetadata().getAnnotations() == null
                          ? java.util.Map.<String, String>of()
                          : cur.getMetadata().getAnnotations());
              a.put(SourceReconciler.CHECK_REQUESTED_AT, now);
              cur.getMetadata().setAnnotations(a);
              return cur;
            });
  }

  private static String field(JsonNode data, String name) {
    JsonNode n = data.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual() || !NAME.matcher(n.asText()).matches()) {
      throw new InboundException(
          Reason.MALFORMED, "data." + name + ": must be a name matching " + NAME.pattern());
    }
    return n.asText();
  }
}
