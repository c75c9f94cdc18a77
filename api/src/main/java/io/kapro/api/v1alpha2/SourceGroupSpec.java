package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Objects;

/** Desired state of a {@link SourceGroup}: which Sources of which fleet move together. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SourceGroupSpec {
  @JsonPropertyDescription("Fleet whose units the member Sources feed.")
  @Required
  @Pattern(Patterns.DNS_LABEL)
  private String fleet;

  @JsonPropertyDescription(
      "Names of the Sources (this namespace, same fleet, one per unit) whose newest versions form"
          + " one set: a new version of any member makes a new set with the others' current"
          + " versions.")
  @Required
  @Size(min = 1, max = 16)
  private List<String> sources;

  @JsonPropertyDescription("How many discovered sets status keeps, newest first.")
  @Default("10")
  @Min(1)
  @Max(50)
  private Integer historyLimit = 10;

  public String getFleet() {
    return fleet;
  }

  public void setFleet(String fleet) {
    this.fleet = fleet;
  }

  public List<String> getSources() {
    return sources;
  }

  public void setSources(List<String> sources) {
    this.sources = sources;
  }

  public Integer getHistoryLimit() {
    return historyLimit;
  }

  public void setHistoryLimit(Integer historyLimit) {
    this.historyLimit = historyLimit;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SourceGroupSpec that
        && Objects.equals(fleet, that.fleet)
        && Objects.equals(sources, that.sources)
        && Objects.equals(historyLimit, that.historyLimit);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fleet, sources, historyLimit);
  }

  @Override
  public String toString() {
    return "SourceGroupSpec{fleet="
        + fleet
        + ", sources="
        + sources
        + ", historyLimit="
        + historyLimit
        + "}";
  }
}
