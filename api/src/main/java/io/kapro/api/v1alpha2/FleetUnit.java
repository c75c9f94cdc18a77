package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** A unit: one Flux or Argo CD object per workload cluster whose version Kapro sets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FleetUnit {
  @JsonPropertyDescription("Unit name, a DNS label unique within the fleet.")
  @Required
  @Pattern(Patterns.DNS_LABEL)
  @Size(max = 63)
  private String name;

  @JsonPropertyDescription("Flux or ArgoCD.")
  @Required
  private Backend backend;

  @JsonPropertyDescription(
      "Kind of the local object: HelmRelease, OCIRepository, GitRepository, Kustomization (Flux) or Application (ArgoCD).")
  @Required
  private UnitKind kind;

  @JsonPropertyDescription("The local object the agent patches.")
  @Required
  private ObjectRef objectRef;

  @JsonPropertyDescription(
      "What the version sets on the object; must suit the kind (see docs/crd-reference.md).")
  @Required
  private VersionField field;

  @JsonPropertyDescription(
      "Image name, for field image (Kustomization) and kustomizeImage (Application).")
  private String image;

  @JsonPropertyDescription(
      "Parameter name, for field substitute (Kustomization postBuild) and helmParameter (Application).")
  private String parameter;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Backend getBackend() {
    return backend;
  }

  public void setBackend(Backend backend) {
    this.backend = backend;
  }

  public UnitKind getKind() {
    return kind;
  }

  public void setKind(UnitKind kind) {
    this.kind = kind;
  }

  public ObjectRef getObjectRef() {
    return objectRef;
  }

  public void setObjectRef(ObjectRef objectRef) {
    this.objectRef = objectRef;
  }

  public VersionField getField() {
    return field;
  }

  public void setField(VersionField field) {
    this.field = field;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getParameter() {
    return parameter;
  }

  public void setParameter(String parameter) {
    this.parameter = parameter;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof FleetUnit that)) {
      return false;
    }
    return Objects.equals(name, that.name)
        && Objects.equals(backend, that.backend)
        && Objects.equals(kind, that.kind)
        && Objects.equals(objectRef, that.objectRef)
        && Objects.equals(field, that.field)
        && Objects.equals(image, that.image)
        && Objects.equals(parameter, that.parameter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, backend, kind, objectRef, field, image, parameter);
  }

  @Override
  public String toString() {
    return "FleetUnit{name="
        + name
        + ", backend="
        + backend
        + ", kind="
        + kind
        + ", objectRef="
        + objectRef
        + ", field="
        + field
        + ", image="
        + image
        + ", parameter="
        + parameter
        + "}";
  }
}
