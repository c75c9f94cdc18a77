package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import java.util.Objects;

/** The bundle issued for a target. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BundleRef {
  @JsonPropertyDescription("Bundle sequence (strictly increasing per cluster).")
  private Long sequence;

  @JsonPropertyDescription("Manifest digest.")
  @Pattern(Patterns.DIGEST)
  private String digest;

  @JsonPropertyDescription("When it was pushed (RFC 3339).")
  private String publishedAt;

  @JsonPropertyDescription("When it expires (RFC 3339).")
  private String expiresAt;

  public Long getSequence() {
    return sequence;
  }

  public void setSequence(Long sequence) {
    this.sequence = sequence;
  }

  public String getDigest() {
    return digest;
  }

  public void setDigest(String digest) {
    this.digest = digest;
  }

  public String getPublishedAt() {
    return publishedAt;
  }

  public void setPublishedAt(String publishedAt) {
    this.publishedAt = publishedAt;
  }

  public String getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(String expiresAt) {
    this.expiresAt = expiresAt;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof BundleRef that)) {
      return false;
    }
    return Objects.equals(sequence, that.sequence)
        && Objects.equals(digest, that.digest)
        && Objects.equals(publishedAt, that.publishedAt)
        && Objects.equals(expiresAt, that.expiresAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sequence, digest, publishedAt, expiresAt);
  }

  @Override
  public String toString() {
    return "BundleRef{sequence="
        + sequence
        + ", digest="
        + digest
        + ", publishedAt="
        + publishedAt
        + ", expiresAt="
        + expiresAt
        + "}";
  }
}
