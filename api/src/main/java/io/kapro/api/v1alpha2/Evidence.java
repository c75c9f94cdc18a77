package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** The latest evidence for a target. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Evidence {
  @JsonPropertyDescription("Evidence number (per agent, increasing).")
  private Long number;

  @JsonPropertyDescription("Per-unit evidence.")
  private List<UnitEvidence> units;

  @JsonPropertyDescription("When the hub stored it (RFC 3339).")
  private String receivedAt;

  public Long getNumber() {
    return number;
  }

  public void setNumber(Long number) {
    this.number = number;
  }

  public List<UnitEvidence> getUnits() {
    return units;
  }

  public void setUnits(List<UnitEvidence> units) {
    this.units = units;
  }

  public String getReceivedAt() {
    return receivedAt;
  }

  public void setReceivedAt(String receivedAt) {
    this.receivedAt = receivedAt;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Evidence that)) {
      return false;
    }
    return Objects.equals(number, that.number)
        && Objects.equals(units, that.units)
        && Objects.equals(receivedAt, that.receivedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(number, units, receivedAt);
  }

  @Override
  public String toString() {
    return "Evidence{number=" + number + ", units=" + units + ", receivedAt=" + receivedAt + "}";
  }
}
