package io.kapro.api.v1alpha2;

/** Which end of the ordering is the newest (Flux: asc selects the highest). */
public enum TagOrder {
  /** The highest value is the newest. */
  Asc,
  /** The lowest value is the newest. */
  Desc
}
