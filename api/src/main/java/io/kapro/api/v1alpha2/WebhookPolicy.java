package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import java.util.Objects;

/** Policy for webhook gates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebhookPolicy {
  @JsonPropertyDescription("Allow webhook gates to call loopback and private-range addresses.")
  @Default("false")
  private Boolean allowPrivateDestinations = false;

  public Boolean getAllowPrivateDestinations() {
    return allowPrivateDestinations;
  }

  public void setAllowPrivateDestinations(Boolean allowPrivateDestinations) {
    this.allowPrivateDestinations = allowPrivateDestinations;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof WebhookPolicy that)) {
      return false;
    }
    return Objects.equals(allowPrivateDestinations, that.allowPrivateDestinations);
  }

  @Override
  public int hashCode() {
    return Objects.hash(allowPrivateDestinations);
  }

  @Override
  public String toString() {
    return "WebhookPolicy{allowPrivateDestinations=" + allowPrivateDestinations + "}";
  }
}
