package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The agent's current client certificate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CertificateInfo {
  @JsonPropertyDescription("Serial number (hex).")
  private String serial;

  @JsonPropertyDescription("Expiry (RFC 3339).")
  private String notAfter;

  public String getSerial() {
    return serial;
  }

  public void setSerial(String serial) {
    this.serial = serial;
  }

  public String getNotAfter() {
    return notAfter;
  }

  public void setNotAfter(String notAfter) {
    this.notAfter = notAfter;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof CertificateInfo that)) {
      return false;
    }
    return Objects.equals(serial, that.serial) && Objects.equals(notAfter, that.notAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(serial, notAfter);
  }

  @Override
  public String toString() {
    return "CertificateInfo{serial=" + serial + ", notAfter=" + notAfter + "}";
  }
}
