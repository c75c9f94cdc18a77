package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/**
 * Desired state of a {@link Fleet}: where bundles go, how they are signed, which units and
 * clusters.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.registry) != has(self.layout)",
    message = "set exactly one of spec.registry or spec.layout")
@ValidationRule(
    value = "self.units.all(u, self.units.exists_one(v, v.name == u.name))",
    message = "unit names must be unique")
public class FleetSpec {
  @JsonPropertyDescription(
      "OCI registry that receives the bundles. Exactly one of registry or layout.")
  private RegistrySpec registry;

  @JsonPropertyDescription(
      "OCI image layout directory that receives the bundles (air gap). Exactly one of registry or layout.")
  private LayoutSpec layout;

  @JsonPropertyDescription("How bundles are signed.")
  @Required
  private SigningSpec signing;

  /**
   * The longest {@code bundleTTL} (168h): an agent reports an applied bundle that expired without a
   * newer one, so the TTL bounds how long a frozen update channel (a registry serving stale
   * content) goes unnoticed. Validation and the hub enforce it.
   */
  public static final java.time.Duration MAX_BUNDLE_TTL = java.time.Duration.ofDays(7);

  @JsonPropertyDescription(
      "How long a bundle stays valid after it is issued (Go duration, 5m to 168h).")
  @Default("24h")
  @Pattern(Patterns.DURATION)
  private String bundleTTL = "24h";

  @JsonPropertyDescription(
      "Re-issue a still-current bundle this long before it expires (Go duration; default one third of bundleTTL).")
  @Pattern(Patterns.DURATION)
  private String reissueBefore;

  @JsonPropertyDescription(
      "The units (one Flux or Argo CD object per cluster) a Promotion can move.")
  @Required
  @Size(min = 1, max = 64)
  private List<FleetUnit> units;

  @JsonPropertyDescription(
      "Which Cluster objects in this namespace belong to the fleet; empty selects all.")
  private LabelSelector clusterSelector;

  @JsonPropertyDescription("Policy for webhook gates of Plans used with this fleet.")
  private WebhookPolicy webhooks;

  @JsonPropertyDescription("CloudEvents sinks for this fleet's promotions (optional).")
  private EventsSpec events;

  @JsonPropertyDescription("How often agents send heartbeats.")
  @Default("30")
  @Min(1)
  @Max(3600)
  private Integer heartbeatIntervalSeconds = 30;

  @JsonPropertyDescription("How often agents poll the registry for a new bundle.")
  @Default("30")
  @Min(1)
  @Max(86400)
  private Integer pollIntervalSeconds = 30;

  @JsonPropertyDescription(
      "What agents do when a managed field no longer holds the bundle's value: Report (default)"
          + " reports it as evidence (Target and Cluster condition Drifted); Reapply puts the"
          + " bundle's value back, rate-limited, and counts each reapply. Travels in the signed"
          + " bundle, so it takes effect with the next bundle a cluster receives.")
  @Default("Report")
  private DriftPolicy drift = DriftPolicy.Report;

  @JsonPropertyDescription(
      "What the hub does with versions this fleet's Sources discover: promotion Manual (default)"
          + " or Auto with a plan.")
  private SourcePolicy sources;

  public SourcePolicy getSources() {
    return sources;
  }

  public void setSources(SourcePolicy sources) {
    this.sources = sources;
  }

  public DriftPolicy getDrift() {
    return drift;
  }

  public void setDrift(DriftPolicy drift) {
    this.drift = drift;
  }

  public RegistrySpec getRegistry() {
    return registry;
  }

  public void setRegistry(RegistrySpec registry) {
    this.registry = registry;
  }

  public LayoutSpec getLayout() {
    return layout;
  }

  public void setLayout(LayoutSpec layout) {
    this.layout = layout;
  }

  public SigningSpec getSigning() {
    return signing;
  }

  public void setSigning(SigningSpec signing) {
    this.signing = signing;
  }

  public String getBundleTTL() {
    return bundleTTL;
  }

  public void setBundleTTL(String bundleTTL) {
    this.bundleTTL = bundleTTL;
  }

  public String getReissueBefore() {
    return reissueBefore;
  }

  public void setReissueBefore(String reissueBefore) {
    this.reissueBefore = reissueBefore;
  }

  public List<FleetUnit> getUnits() {
    return units;
  }

  public void setUnits(List<FleetUnit> units) {
    this.units = units;
  }

  public LabelSelector getClusterSelector() {
    return clusterSelector;
  }

  public void setClusterSelector(LabelSelector clusterSelector) {
    this.clusterSelector = clusterSelector;
  }

  public WebhookPolicy getWebhooks() {
    return webhooks;
  }

  public void setWebhooks(WebhookPolicy webhooks) {
    this.webhooks = webhooks;
  }

  public EventsSpec getEvents() {
    return events;
  }

  public void setEvents(EventsSpec events) {
    this.events = events;
  }

  public Integer getHeartbeatIntervalSeconds() {
    return heartbeatIntervalSeconds;
  }

  public void setHeartbeatIntervalSeconds(Integer heartbeatIntervalSeconds) {
    this.heartbeatIntervalSeconds = heartbeatIntervalSeconds;
  }

  public Integer getPollIntervalSeconds() {
    return pollIntervalSeconds;
  }

  public void setPollIntervalSeconds(Integer pollIntervalSeconds) {
    this.pollIntervalSeconds = pollIntervalSeconds;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof FleetSpec that)) {
      return false;
    }
    return Objects.equals(registry, that.registry)
        && Objects.equals(layout, that.layout)
        && Objects.equals(signing, that.signing)
        && Objects.equals(bundleTTL, that.bundleTTL)
        && Objects.equals(reissueBefore, that.reissueBefore)
        && Objects.equals(units, that.units)
        && Objects.equals(clusterSelector, that.clusterSelector)
        && Objects.equals(webhooks, that.webhooks)
        && Objects.equals(events, that.events)
        && Objects.equals(heartbeatIntervalSeconds, that.heartbeatIntervalSeconds)
        && Objects.equals(pollIntervalSeconds, that.pollIntervalSeconds)
        && Objects.equals(drift, that.drift)
        && Objects.equals(sources, that.sources);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        registry,
        layout,
        signing,
        bundleTTL,
        reissueBefore,
        units,
        clusterSelector,
        webhooks,
        events,
        heartbeatIntervalSeconds,
        pollIntervalSeconds,
        drift,
        sources);
  }

  @Override
  public String toString() {
    return "FleetSpec{registry="
        + registry
        + ", layout="
        + layout
        + ", signing="
        + signing
        + ", bundleTTL="
        + bundleTTL
        + ", reissueBefore="
        + reissueBefore
        + ", units="
        + units
        + ", clusterSelector="
        + clusterSelector
        + ", webhooks="
        + webhooks
        + ", events="
        + events
        + ", heartbeatIntervalSeconds="
        + heartbeatIntervalSeconds
        + ", pollIntervalSeconds="
        + pollIntervalSeconds
        + "}";
  }
}
