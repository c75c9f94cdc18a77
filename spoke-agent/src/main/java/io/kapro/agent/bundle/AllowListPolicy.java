package io.kapro.agent.bundle;

import io.kapro.agent.config.AllowList;
import io.kapro.agent.config.FieldPath;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.FieldSet;
import io.kapro.oci.verify.FieldGuard;
import io.kapro.oci.verify.PatchPolicy;
import java.util.Optional;

/**
 * The agent's allow-list as the verifier's {@link PatchPolicy}: a bundle that sets one field
 * outside it, or one on the built-in deny-list ({@link FieldGuard}) whatever the allow-list says,
 * is refused whole ({@code NOT_ALLOWED}) before anything is read from the cluster.
 */
public final class AllowListPolicy implements PatchPolicy {
  private final AllowList allowList;

  public AllowListPolicy(AllowList allowList) {
    this.allowList = allowList;
  }

  @Override
  public Optional<String> deny(BundleUnit unit, FieldSet field) {
    Optional<String> privileged = FieldGuard.deny(field.path());
    if (privileged.isPresent()) {
      return privileged; // whatever the allow-list says
    }
    if (!allowList.covers(unit.object())) {
      return Optional.of(
          unit.object() + " (" + unit.object().apiVersion() + ") is not in the agent's allow-list");
    }
    FieldPath path;
    try {
      path = FieldPath.parse(field.path());
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
    if (!allowList.permits(unit.object(), path)) {
      return Optional.of("field " + field.path() + " is not in the agent's allow-list");
    }
    return Optional.empty();
  }
}
