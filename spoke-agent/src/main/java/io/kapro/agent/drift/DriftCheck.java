package io.kapro.agent.drift;

import com.fasterxml.jackson.databind.JsonNode;
import io.kapro.agent.config.FieldPath;
import io.kapro.oci.bundle.FieldSet;
import java.util.ArrayList;
import java.util.List;

/** Which of a bundle's field sets an object no longer holds. Pure. */
public final class DriftCheck {
  private DriftCheck() {}

  /** The drifted fields of {@code object}, in the order of {@code sets}; empty when none. */
  public static List<FieldDrift> check(JsonNode object, List<FieldSet> sets) {
    List<FieldDrift> out = new ArrayList<>();
    for (FieldSet set : sets) {
      String observed;
      try {
        observed = FieldValues.read(object, FieldPath.parse(set.path())).orElse("");
      } catch (IllegalArgumentException e) {
        continue; // the applier refused such a path before it wrote anything
      }
      if (!observed.equals(set.value())) {
        out.add(new FieldDrift(set.path(), set.value(), observed));
      }
    }
    return out;
  }
}
