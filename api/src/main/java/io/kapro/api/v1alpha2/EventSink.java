package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Objects;

/** One HTTP endpoint that receives CloudEvents, signed with an HMAC key from a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EventSink {
  @JsonPropertyDescription("http(s) URL the events are POSTed to.")
  @Required
  @Pattern("^https?://.+")
  private String url;

  @JsonPropertyDescription(
      "Secret key holding the HMAC-SHA256 key; the X-Kapro-Signature header is then set.")
  private HmacKeyRef secretRef;

  @JsonPropertyDescription(
      "Event types to send (for example io.kapro.run.succeeded); empty sends all.")
  @Size(max = 32)
  private List<String> types;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public HmacKeyRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(HmacKeyRef secretRef) {
    this.secretRef = secretRef;
  }

  public List<String> getTypes() {
    return types;
  }

  public void setTypes(List<String> types) {
    this.types = types;
  }

  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof EventSink that
            && Objects.equals(url, that.url)
            && Objects.equals(secretRef, that.secretRef)
            && Objects.equals(types, that.types));
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, secretRef, types);
  }

  @Override
  public String toString() {
    return "EventSink{url=" + url + ", secretRef=" + secretRef + ", types=" + types + "}";
  }
}
