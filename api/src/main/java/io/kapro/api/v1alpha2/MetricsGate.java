package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of a Metrics gate: a PromQL instant query against a Prometheus-compatible HTTP API,
 * measured every {@code interval} for each gated Target until it has held {@code
 * consecutiveSuccesses} times in a row (pass) or failed more than {@code failureLimit} times
 * (fail).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricsGate {
  /** The names a query may use as {@code {{ name }}}. */
  public static final Set<String> VARIABLES = Set.of("cluster", "stage", "run", "unit", "version");

  @JsonPropertyDescription(
      "Base URL of the Prometheus-compatible API, e.g. https://prometheus.example:9090;"
          + " the gate queries <address>/api/v1/query.")
  @Required
  @Pattern(Patterns.HTTP_URL)
  private String address;

  @JsonPropertyDescription(
      "PromQL instant query; {{ cluster }}, {{ stage }}, {{ run }}, {{ unit }} and {{ version }}"
          + " are replaced (with several units, the query runs once per unit).")
  @Required
  @Size(min = 1, max = 4096)
  private String query;

  @JsonPropertyDescription("The condition every returned value must satisfy.")
  @Required
  private MetricsCondition successCondition;

  @JsonPropertyDescription("Time between measurements (Go duration).")
  @Default("1m")
  @Pattern(Patterns.DURATION)
  private String interval = "1m";

  @JsonPropertyDescription("Successful measurements in a row needed to pass.")
  @Default("3")
  @Min(1)
  @Max(100)
  private Integer consecutiveSuccesses = 3;

  @JsonPropertyDescription(
      "Failed measurements tolerated; one more fails the gate (0: the first failure fails it).")
  @Default("0")
  @Min(0)
  @Max(100)
  private Integer failureLimit = 0;

  @JsonPropertyDescription("Timeout of one query (Go duration, at most 1m).")
  @Default("10s")
  @Pattern(Patterns.DURATION)
  private String timeout = "10s";

  @JsonPropertyDescription(
      "Secret in the run's namespace with key token (bearer), or username and password (basic),"
          + " and optionally ca.crt (PEM CA trusted for https).")
  private SecretRef secretRef;

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public String getQuery() {
    return query;
  }

  public void setQuery(String query) {
    this.query = query;
  }

  public MetricsCondition getSuccessCondition() {
    return successCondition;
  }

  public void setSuccessCondition(MetricsCondition successCondition) {
    this.successCondition = successCondition;
  }

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }

  public Integer getConsecutiveSuccesses() {
    return consecutiveSuccesses;
  }

  public void setConsecutiveSuccesses(Integer consecutiveSuccesses) {
    this.consecutiveSuccesses = consecutiveSuccesses;
  }

  public Integer getFailureLimit() {
    return failureLimit;
  }

  public void setFailureLimit(Integer failureLimit) {
    this.failureLimit = failureLimit;
  }

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  public SecretRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretRef secretRef) {
    this.secretRef = secretRef;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof MetricsGate that)) {
      return false;
    }
    return Objects.equals(address, that.address)
        && Objects.equals(query, that.query)
        && Objects.equals(successCondition, that.successCondition)
        && Objects.equals(interval, that.interval)
        && Objects.equals(consecutiveSuccesses, that.consecutiveSuccesses)
        && Objects.equals(failureLimit, that.failureLimit)
        && Objects.equals(timeout, that.timeout)
        && Objects.equals(secretRef, that.secretRef);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        address,
        query,
        successCondition,
        interval,
        consecutiveSuccesses,
        failureLimit,
        timeout,
        secretRef);
  }

  @Override
  public String toString() {
    return "MetricsGate{address="
        + address
        + ", query="
        + query
        + ", successCondition="
        + successCondition
        + ", interval="
        + interval
        + ", consecutiveSuccesses="
        + consecutiveSuccesses
        + ", failureLimit="
        + failureLimit
        + ", timeout="
        + timeout
        + ", secretRef="
        + secretRef
        + "}";
  }
}
