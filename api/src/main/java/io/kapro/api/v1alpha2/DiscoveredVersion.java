package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One version a Source found, and where it came from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DiscoveredVersion {
  @JsonPropertyDescription(
      "The version: the tag, the chart version, or the commit hash (Git branch).")
  private String version;

  @JsonPropertyDescription(
      "Digest when discovered: the OCI manifest digest, the Helm index entry's chart digest, or sha1:<commit> for Git.")
  private String digest;

  @JsonPropertyDescription(
      "Where it was found: registry/repository:tag, the chart archive URL, or url@ref for Git.")
  private String origin;

  @JsonPropertyDescription("When the hub first saw it (RFC 3339).")
  private String discoveredAt;

  @JsonPropertyDescription(
      "When the source says it was published (a Helm index entry's created time), if it says.")
  private String publishedAt;

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public String getDigest() {
    return digest;
  }

  public void setDigest(String digest) {
    this.digest = digest;
  }

  public String getOrigin() {
    return origin;
  }

  public void setOrigin(String origin) {
    this.origin = origin;
  }

  public String getDiscoveredAt() {
    return discoveredAt;
  }

  public void setDiscoveredAt(String discoveredAt) {
    this.discoveredAt = discoveredAt;
  }

  public String getPublishedAt() {
    return publishedAt;
  }

  public void setPublishedAt(String publishedAt) {
    this.publishedAt = publishedAt;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof DiscoveredVersion that)) {
      return false;
    }
    return Objects.equals(version, that.version)
        && Objects.equals(digest, that.digest)
        && Objects.equals(origin, that.origin)
        && Objects.equals(discoveredAt, that.discoveredAt)
        && Objects.equals(publishedAt, that.publishedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, digest, origin, discoveredAt, publishedAt);
  }

  @Override
  public String toString() {
    return "DiscoveredVersion{"
        + "version="
        + version
        + ", "
        + "digest="
        + digest
        + ", "
        + "origin="
        + origin
        + ", "
        + "discoveredAt="
        + discoveredAt
        + ", publishedAt="
        + publishedAt
        + "}";
  }
}
