package io.kapro.api.v1alpha2;

/** A human decision. */
public enum Decision {
  Approve,
  Reject
}
