package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** Names a local object on a workload cluster (its kind comes from the unit). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ObjectRef {
  @JsonPropertyDescription("Namespace of the object on the workload cluster.")
  @Required
  private String namespace;

  @JsonPropertyDescription("Name of the object.")
  @Required
  private String name;

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ObjectRef that)) {
      return false;
    }
    return Objects.equals(namespace, that.namespace) && Objects.equals(name, that.name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(namespace, name);
  }

  @Override
  public String toString() {
    return "ObjectRef{namespace=" + namespace + ", name=" + name + "}";
  }
}
