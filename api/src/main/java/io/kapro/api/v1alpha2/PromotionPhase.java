package io.kapro.api.v1alpha2;

/** Phase of a Promotion. */
public enum PromotionPhase {
  Pending,
  Running,
  Succeeded,
  Failed,
  Superseded,
  Paused,
  Aborted
}
