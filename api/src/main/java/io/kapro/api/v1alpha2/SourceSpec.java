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
import java.util.Objects;

/** Desired state of a {@link Source}: what to watch, for which unit of which fleet. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(has(self.oci) ? 1 : 0) + (has(self.helm) ? 1 : 0) + (has(self.git) ? 1 : 0) == 1",
    message = "set exactly one of spec.oci, spec.helm or spec.git")
public class SourceSpec {
  @JsonPropertyDescription("Fleet whose unit this Source feeds.")
  @Required
  @Pattern(Patterns.DNS_LABEL)
  private String fleet;

  @JsonPropertyDescription("Unit of the fleet whose versions these are.")
  @Required
  @Pattern(Patterns.DNS_LABEL)
  private String unit;

  @JsonPropertyDescription(
      "SourceGroup this Source is a member of (its unit then moves only with the group's sets,"
          + " never alone; the group must list this Source in spec.sources). A group promotes"
          + " automatically only when every member names it here.")
  @Pattern(Patterns.DNS_LABEL)
  private String group;

  @JsonPropertyDescription("OCI repository to watch (tags). Exactly one of oci, helm or git.")
  private OciSource oci;

  @JsonPropertyDescription(
      "Helm chart repository to watch (index.yaml over HTTP(S), or oci:// tags): the chart's"
          + " versions.")
  private HelmSource helm;

  @JsonPropertyDescription(
      "Git repository to watch by its refs: tags, or a branch's newest commit.")
  private GitSource git;

  @JsonPropertyDescription("Which tags count, and what part of them is ordered.")
  private TagFilter filterTags;

  @JsonPropertyDescription("How versions are ordered: SemVer (default), Alphabetical or Numerical.")
  @Default("SemVer")
  private TagSelection selection = TagSelection.SemVer;

  @JsonPropertyDescription(
      "SemVer constraint (Masterminds syntax, as Flux and Kargo read it: >=1.0.0 <2.0.0, ~1.2, ^1, 1.x); with selection SemVer. Empty allows every release version.")
  @Size(max = 256)
  private String semver;

  @JsonPropertyDescription(
      "For Alphabetical and Numerical: Asc (default) takes the highest as newest, Desc the lowest.")
  @Default("Asc")
  private TagOrder order = TagOrder.Asc;

  @JsonPropertyDescription("How often the hub checks (Go duration, at least 10s).")
  @Default("5m")
  @Pattern(Patterns.DURATION)
  private String interval = "5m";

  @JsonPropertyDescription("How many discovered versions status keeps, newest first.")
  @Default("10")
  @Min(1)
  @Max(100)
  private Integer historyLimit = 10;

  @JsonPropertyDescription(
      "Most tags (OCI), chart versions (Helm) or refs (Git) the source may list; a larger listing is refused and reported, not truncated.")
  @Default("10000")
  @Min(1)
  @Max(100000)
  private Integer maxTags = 10000;

  public String getFleet() {
    return fleet;
  }

  public void setFleet(String fleet) {
    this.fleet = fleet;
  }

  public String getUnit() {
    return unit;
  }

  public void setUnit(String unit) {
    this.unit = unit;
  }

  public String getGroup() {
    return group;
  }

  public void setGroup(String group) {
    this.group = group;
  }

  public OciSource getOci() {
    return oci;
  }

  public void setOci(OciSource oci) {
    this.oci = oci;
  }

  public HelmSource getHelm() {
    return helm;
  }

  public void setHelm(HelmSource helm) {
    this.helm = helm;
  }

  public GitSource getGit() {
    return git;
  }

  public void setGit(GitSource git) {
    this.git = git;
  }

  public TagFilter getFilterTags() {
    return filterTags;
  }

  public void setFilterTags(TagFilter filterTags) {
    this.filterTags = filterTags;
  }

  public TagSelection getSelection() {
    return selection;
  }

  public void setSelection(TagSelection selection) {
    this.selection = selection;
  }

  public String getSemver() {
    return semver;
  }

  public void setSemver(String semver) {
    this.semver = semver;
  }

  public TagOrder getOrder() {
    return order;
  }

  public void setOrder(TagOrder order) {
    this.order = order;
  }

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }

  public Integer getHistoryLimit() {
    return historyLimit;
  }

  public void setHistoryLimit(Integer historyLimit) {
    this.historyLimit = historyLimit;
  }

  public Integer getMaxTags() {
    return maxTags;
  }

  public void setMaxTags(Integer maxTags) {
    this.maxTags = maxTags;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SourceSpec that)) {
      return false;
    }
    return Objects.equals(fleet, that.fleet)
        && Objects.equals(unit, that.unit)
        && Objects.equals(group, that.group)
        && Objects.equals(oci, that.oci)
        && Objects.equals(helm, that.helm)
        && Objects.equals(git, that.git)
        && Objects.equals(filterTags, that.filterTags)
        && Objects.equals(selection, that.selection)
        && Objects.equals(semver, that.semver)
        && Objects.equals(order, that.order)
        && Objects.equals(interval, that.interval)
        && Objects.equals(historyLimit, that.historyLimit)
        && Objects.equals(maxTags, that.maxTags);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        fleet,
        unit,
        group,
        oci,
        helm,
        git,
        filterTags,
        selection,
        semver,
        order,
        interval,
        historyLimit,
        maxTags);
  }

  @Override
  public String toString() {
    return "SourceSpec{"
        + "fleet="
        + fleet
        + ", "
        + "unit="
        + unit
        + ", group="
        + group
        + ", "
        + "oci="
        + oci
        + ", helm="
        + helm
        + ", git="
        + git
        + ", "
        + "filterTags="
        + filterTags
        + ", "
        + "selection="
        + selection
        + ", "
        + "semver="
        + semver
        + ", "
        + "order="
        + order
        + ", "
        + "interval="
        + interval
        + ", "
        + "historyLimit="
        + historyLimit
        + ", "
        + "maxTags="
        + maxTags
        + "}";
  }
}
