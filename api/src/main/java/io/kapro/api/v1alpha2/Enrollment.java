package io.kapro.api.v1alpha2;

/** Enrollment state of a cluster's agent. */
public enum Enrollment {
  Pending,
  Enrolled,
  Revoked
}
