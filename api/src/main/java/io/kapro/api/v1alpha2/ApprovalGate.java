package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Settings of an Approval gate (none yet: any Approval object for the run and stage decides). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApprovalGate {
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof ApprovalGate;
  }

  @Override
  public int hashCode() {
    return ApprovalGate.class.hashCode();
  }

  @Override
  public String toString() {
    return "ApprovalGate{}";
  }
}
