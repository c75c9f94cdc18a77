package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** An OCI image layout directory that receives bundles (the air-gap path). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LayoutSpec {
  @JsonPropertyDescription("Absolute path of the layout directory, as seen by the hub.")
  @Required
  @Pattern(Patterns.ABSOLUTE_PATH)
  private String path;

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof LayoutSpec that)) {
      return false;
    }
    return Objects.equals(path, that.path);
  }

  @Override
  public int hashCode() {
    return Objects.hash(path);
  }

  @Override
  public String toString() {
    return "LayoutSpec{path=" + path + "}";
  }
}
