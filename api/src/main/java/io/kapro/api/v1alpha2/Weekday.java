package io.kapro.api.v1alpha2;

/** A day of the week. */
public enum Weekday {
  Mon,
  Tue,
  Wed,
  Thu,
  Fri,
  Sat,
  Sun
}
