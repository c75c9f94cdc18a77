package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** How the hub signs bundles. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SigningSpec {
  @JsonPropertyDescription("Secret key holding a PEM PKCS#8 ECDSA P-256 private key.")
  @Required
  private SecretKeyRef keySecretRef;

  public SecretKeyRef getKeySecretRef() {
    return keySecretRef;
  }

  public void setKeySecretRef(SecretKeyRef keySecretRef) {
    this.keySecretRef = keySecretRef;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SigningSpec that)) {
      return false;
    }
    return Objects.equals(keySecretRef, that.keySecretRef);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keySecretRef);
  }

  @Override
  public String toString() {
    return "SigningSpec{keySecretRef=" + keySecretRef + "}";
  }
}
