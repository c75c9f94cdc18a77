package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** Desired state of a {@link Cluster}; stage membership comes from the object's own labels. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterSpec {
  @JsonPropertyDescription("Human-friendly name.")
  @Size(max = 253)
  private String displayName;

  @JsonPropertyDescription(
      "Identity the agent's certificate must carry (URI SAN); default spiffe://kapro/ns/<namespace>/cluster/<name>.")
  @Pattern(Patterns.SPIFFE_ID)
  private String identity;

  @JsonPropertyDescription("When true the hub issues no new bundles for this cluster.")
  @Default("false")
  private Boolean paused = false;

  @JsonPropertyDescription(
      "Connected (default: gRPC link, heartbeats) or AirGapped (no link expected: bundles by kapro mirror, evidence by import; never marked Unknown for missing heartbeats).")
  @Default("Connected")
  private ClusterConnectivity connectivity = ClusterConnectivity.Connected;

  public String getDisplayName() {
    return displayName;
  }

  public void setDisplayName(String displayName) {
    this.displayName = displayName;
  }

  public String getIdentity() {
    return identity;
  }

  public void setIdentity(String identity) {
    this.identity = identity;
  }

  public Boolean getPaused() {
    return paused;
  }

  public void setPaused(Boolean paused) {
    this.paused = paused;
  }

  public ClusterConnectivity getConnectivity() {
    return connectivity;
  }

  public void setConnectivity(ClusterConnectivity connectivity) {
    this.connectivity = connectivity;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ClusterSpec that)) {
      return false;
    }
    return Objects.equals(displayName, that.displayName)
        && Objects.equals(identity, that.identity)
        && Objects.equals(paused, that.paused)
        && Objects.equals(connectivity, that.connectivity);
  }

  @Override
  public int hashCode() {
    return Objects.hash(displayName, identity, paused, connectivity);
  }

  @Override
  public String toString() {
    return "ClusterSpec{displayName="
        + displayName
        + ", identity="
        + identity
        + ", paused="
        + paused
        + "}";
  }
}
