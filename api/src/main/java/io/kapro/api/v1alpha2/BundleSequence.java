package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Bundle sequence numbers of one cluster (reserved >= published >= acknowledged). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BundleSequence {
  @JsonPropertyDescription("Highest sequence reserved by the publisher.")
  private Long reserved;

  @JsonPropertyDescription("Highest sequence pushed to the registry.")
  private Long published;

  @JsonPropertyDescription("Highest sequence the agent reported as applied.")
  private Long acknowledged;

  public Long getReserved() {
    return reserved;
  }

  public void setReserved(Long reserved) {
    this.reserved = reserved;
  }

  public Long getPublished() {
    return published;
  }

  public void setPublished(Long published) {
    this.published = published;
  }

  public Long getAcknowledged() {
    return acknowledged;
  }

  public void setAcknowledged(Long acknowledged) {
    this.acknowledged = acknowledged;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof BundleSequence that)) {
      return false;
    }
    return Objects.equals(reserved, that.reserved)
        && Objects.equals(published, that.published)
        && Objects.equals(acknowledged, that.acknowledged);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reserved, published, acknowledged);
  }

  @Override
  public String toString() {
    return "BundleSequence{reserved="
        + reserved
        + ", published="
        + published
        + ", acknowledged="
        + acknowledged
        + "}";
  }
}
