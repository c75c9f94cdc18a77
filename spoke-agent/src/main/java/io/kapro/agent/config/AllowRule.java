package io.kapro.agent.config;

import io.kapro.oci.bundle.ObjectReference;
import java.util.List;

/**
 * One allow-list entry: which local objects the hub may patch and which of their fields.
 *
 * @param apiVersion exact {@code group/version}, for example {@code helm.toolkit.fluxcd.io/v2}
 * @param kind the object kind, one of {@link ManagedKind}
 * @param namespace glob over the object's namespace
 * @param name glob over the object's name
 * @param fields field path patterns (see {@link FieldPath#parsePattern}); all start at {@code spec}
 */
public record AllowRule(
    String apiVersion,
    String kind,
    NamePattern namespace,
    NamePattern name,
    List<FieldPath> fields) {
  public AllowRule {
    fields = List.copyOf(fields);
  }

  /** Whether this rule covers the object (kind, apiVersion, namespace and name). */
  public boolean covers(ObjectReference ref) {
    return apiVersion.equals(ref.apiVersion())
        && kind.equals(ref.kind())
        && namespace.matches(ref.namespace())
        && name.matches(ref.name());
  }

  /** Whether this rule lets the hub set {@code path}. */
  public boolean permits(FieldPath path) {
    return fields.stream().anyMatch(p -> p.matches(path));
  }

  /**
   * Whether a pattern without wildcards lets the hub set {@code path}: only then may the agent
   * create the field when the object lacks it.
   */
  public boolean permitsExactly(FieldPath path) {
    return fields.stream().filter(FieldPath::isExact).anyMatch(p -> p.matches(path));
  }
}
