package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** Settings of a Soak gate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SoakGate {
  @JsonPropertyDescription("How long to wait (Go duration).")
  @Required
  @Pattern(Patterns.DURATION)
  private String duration;

  public String getDuration() {
    return duration;
  }

  public void setDuration(String duration) {
    this.duration = duration;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SoakGate that)) {
      return false;
    }
    return Objects.equals(duration, that.duration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(duration);
  }

  @Override
  public String toString() {
    return "SoakGate{duration=" + duration + "}";
  }
}
