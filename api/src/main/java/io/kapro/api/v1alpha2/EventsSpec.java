package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Objects;

/** Where the hub sends CloudEvents about this fleet's promotions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EventsSpec {
  @JsonPropertyDescription("HTTP endpoints that receive the fleet's CloudEvents (binary mode).")
  @Size(max = 16)
  private List<EventSink> sinks;

  public List<EventSink> getSinks() {
    return sinks;
  }

  public void setSinks(List<EventSink> sinks) {
    this.sinks = sinks;
  }

  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof EventsSpec that && Objects.equals(sinks, that.sinks));
  }

  @Override
  public int hashCode() {
    return Objects.hash(sinks);
  }

  @Override
  public String toString() {
    return "EventsSpec{sinks=" + sinks + "}";
  }
}
