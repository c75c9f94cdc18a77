package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** One set of versions a {@link SourceGroup} found: promoted as a unit, like Kargo's Freight. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DiscoveredSet {
  @JsonPropertyDescription(
      "Name of the set: the first 10 hex digits of the SHA-256 of its unit@version:digest list.")
  private String name;

  @JsonPropertyDescription("Every member's version, in the order of spec.sources.")
  private List<SetMember> members;

  @JsonPropertyDescription("When the hub first saw this set (RFC 3339).")
  private String discoveredAt;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public List<SetMember> getMembers() {
    return members;
  }

  public void setMembers(List<SetMember> members) {
    this.members = members;
  }

  public String getDiscoveredAt() {
    return discoveredAt;
  }

  public void setDiscoveredAt(String discoveredAt) {
    this.discoveredAt = discoveredAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DiscoveredSet that
        && Objects.equals(name, that.name)
        && Objects.equals(members, that.members)
        && Objects.equals(discoveredAt, that.discoveredAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, members, discoveredAt);
  }

  @Override
  public String toString() {
    return "DiscoveredSet{name="
        + name
        + ", members="
        + members
        + ", discoveredAt="
        + discoveredAt
        + "}";
  }
}
