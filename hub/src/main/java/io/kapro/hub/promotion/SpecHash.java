package io.kapro.hub.promotion;

import io.kapro.api.v1alpha2.PromotionSpec;
import io.kapro.api.v1alpha2.UnitVersion;
import io.kapro.hub.kube.ResourceNames;

/** A stable hash of what a Promotion asks for (fleet, plan, units and versions in order). */
public final class SpecHash {
  private SpecHash() {}

  public static String of(PromotionSpec spec) {
    StringBuilder sb = new StringBuilder();
    sb.append("fleet=").append(spec.getFleet()).append('\n');
    sb.append("plan=").append(spec.getPlan()).append('\n');
    if (spec.getUnits() != null) {
      for (UnitVersion u : spec.getUnits()) {
        sb.append("unit=")
            .append(u == null ? null : u.getName())
            .append('@')
            .append(u == null ? null : u.getVersion())
            .append('\n');
      }
    }
    // a rollback (and its gate override) is a different promotion of the same versions; the
    // lines are added only when set, so the hashes of existing Promotions stay as they were
    if (Boolean.TRUE.equals(spec.getRollback())) {
      sb.append("rollback=true\n");
    }
    if (Boolean.TRUE.equals(spec.getSkipGates())) {
      sb.append("skipGates=true\n");
    }
    return ResourceNames.sha256(sb.toString());
  }
}
