package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** Reference to the Secret key that holds an HMAC-SHA256 key, in the object's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HmacKeyRef {
  @JsonPropertyDescription("Secret name.")
  @Required
  private String name;

  @JsonPropertyDescription("Key inside the Secret (the HMAC key bytes).")
  @Default("hmac")
  private String key = "hmac";

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof HmacKeyRef that
            && Objects.equals(name, that.name)
            && Objects.equals(key, that.key));
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, key);
  }

  @Override
  public String toString() {
    return "HmacKeyRef{name=" + name + ", key=" + key + "}";
  }
}
