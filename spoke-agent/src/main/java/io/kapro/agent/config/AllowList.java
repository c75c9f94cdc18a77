package io.kapro.agent.config;

import io.kapro.oci.bundle.ObjectReference;
import java.util.List;

/**
 * The local objects and fields the hub may set. A field is allowed when some rule covers the object
 * and permits the path; anything else is refused.
 *
 * @param rules the rules, in configuration order
 */
public record AllowList(List<AllowRule> rules) {
  public AllowList {
    rules = List.copyOf(rules);
  }

  /** Whether any rule covers the object at all. */
  public boolean covers(ObjectReference ref) {
    return rules.stream().anyMatch(r -> r.covers(ref));
  }

  /** Whether a pattern without wildcards lets the hub set {@code path} on {@code ref}. */
  public boolean permitsExactly(ObjectReference ref, FieldPath path) {
    return rules.stream().anyMatch(r -> r.covers(ref) && r.permitsExactly(path));
  }

  /** Whether the hub may set {@code path} on {@code ref}. */
  public boolean permits(ObjectReference ref, FieldPath path) {
    return rules.stream().anyMatch(r -> r.covers(ref) && r.permits(path));
  }
}
