package io.kapro.api.v1alpha2;

/** What a Fleet does with versions its Sources discover. */
public enum PromotionMode {
  /** Record them as available; a person or CI promotes. */
  Manual,
  /** Promote each new version through the fleet's plan at once. */
  Auto
}
