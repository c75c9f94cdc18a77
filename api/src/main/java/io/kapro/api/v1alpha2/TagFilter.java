package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** Which tags a Source considers, and the part of each that is ordered (Flux filterTags). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TagFilter {
  @JsonPropertyDescription(
      "Regular expression (Java syntax, unanchored find) a tag must match; empty keeps all tags.")
  @Size(max = 256)
  private String pattern;

  @JsonPropertyDescription(
      "Replacement with capture groups of pattern ($1, ${name}) whose result is ordered instead of the whole tag.")
  @Size(max = 128)
  private String extract;

  public String getPattern() {
    return pattern;
  }

  public void setPattern(String pattern) {
    this.pattern = pattern;
  }

  public String getExtract() {
    return extract;
  }

  public void setExtract(String extract) {
    this.extract = extract;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TagFilter that)) {
      return false;
    }
    return Objects.equals(pattern, that.pattern) && Objects.equals(extract, that.extract);
  }

  @Override
  public int hashCode() {
    return Objects.hash(pattern, extract);
  }

  @Override
  public String toString() {
    return "TagFilter{" + "pattern=" + pattern + ", " + "extract=" + extract + "}";
  }
}
