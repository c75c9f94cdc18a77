package io.kapro.agent.drift;

import java.util.List;

/**
 * What the agent reports about one unit's managed fields.
 *
 * @param fields the fields that no longer hold the bundle's value, empty when all hold it
 * @param reapplied how often the agent put this unit's fields back since the bundle was applied
 * @param ownerConflict the owner that keeps reverting a field, empty when none
 */
public record UnitDrift(List<FieldDrift> fields, int reapplied, String ownerConflict) {
  public static final UnitDrift NONE = new UnitDrift(List.of(), 0, "");

  public UnitDrift {
    fields = List.copyOf(fields);
    ownerConflict = ownerConflict == null ? "" : ownerConflict;
  }
}
