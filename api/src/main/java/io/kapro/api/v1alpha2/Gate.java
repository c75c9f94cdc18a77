package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** A condition that must hold before a stage (or each of its waves) starts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.type != 'Soak' || has(self.soak)",
    message = "a Soak gate needs soak.duration")
@ValidationRule(
    value = "self.type != 'TimeWindow' || has(self.timeWindow)",
    message = "a TimeWindow gate needs timeWindow")
@ValidationRule(
    value = "self.type != 'Webhook' || has(self.webhook)",
    message = "a Webhook gate needs webhook.url")
@ValidationRule(
    value = "self.type != 'Metrics' || has(self.metrics)",
    message = "a Metrics gate needs metrics.address, metrics.query and metrics.successCondition")
public class Gate {
  @JsonPropertyDescription("Gate name, unique within the stage.")
  @Required
  @Pattern(Patterns.DNS_LABEL)
  @Size(max = 63)
  private String name;

  @JsonPropertyDescription("Approval, Soak, Health, TimeWindow, Webhook or Metrics.")
  @Required
  private GateType type;

  @JsonPropertyDescription("BeforeStage (default) or BeforeEachWave.")
  @Default("BeforeStage")
  private GateWhen when = GateWhen.BeforeStage;

  @JsonPropertyDescription("Settings for type Soak.")
  private SoakGate soak;

  @JsonPropertyDescription("Settings for type TimeWindow.")
  private TimeWindowGate timeWindow;

  @JsonPropertyDescription("Settings for type Webhook.")
  private WebhookGate webhook;

  @JsonPropertyDescription("Settings for type Approval.")
  private ApprovalGate approval;

  @JsonPropertyDescription("Settings for type Metrics.")
  private MetricsGate metrics;

  public MetricsGate getMetrics() {
    return metrics;
  }

  public void setMetrics(MetricsGate metrics) {
    this.metrics = metrics;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public GateType getType() {
    return type;
  }

  public void setType(GateType type) {
    this.type = type;
  }

  public GateWhen getWhen() {
    return when;
  }

  public void setWhen(GateWhen when) {
    this.when = when;
  }

  public SoakGate getSoak() {
    return soak;
  }

  public void setSoak(SoakGate soak) {
    this.soak = soak;
  }

  public TimeWindowGate getTimeWindow() {
    return timeWindow;
  }

  public void setTimeWindow(TimeWindowGate timeWindow) {
    this.timeWindow = timeWindow;
  }

  public WebhookGate getWebhook() {
    return webhook;
  }

  public void setWebhook(WebhookGate webhook) {
    this.webhook = webhook;
  }

  public ApprovalGate getApproval() {
    return approval;
  }

  public void setApproval(ApprovalGate approval) {
    this.approval = approval;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Gate that)) {
      return false;
    }
    return Objects.equals(name, that.name)
        && Objects.equals(type, that.type)
        && Objects.equals(when, that.when)
        && Objects.equals(soak, that.soak)
        && Objects.equals(timeWindow, that.timeWindow)
        && Objects.equals(webhook, that.webhook)
        && Objects.equals(approval, that.approval)
        && Objects.equals(metrics, that.metrics);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, when, soak, timeWindow, webhook, approval, metrics);
  }

  @Override
  public String toString() {
    return "Gate{name="
        + name
        + ", type="
        + type
        + ", when="
        + when
        + ", soak="
        + soak
        + ", timeWindow="
        + timeWindow
        + ", webhook="
        + webhook
        + ", approval="
        + approval
        + ", metrics="
        + metrics
        + "}";
  }
}
