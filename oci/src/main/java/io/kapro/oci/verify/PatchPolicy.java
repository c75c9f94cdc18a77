package io.kapro.oci.verify;

import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.FieldSet;
import java.util.Optional;

/**
 * The agent's local allow-list: which objects and fields a bundle may patch. The verifier asks it
 * about every field of every unit; one denial rejects the whole bundle with {@code NOT_ALLOWED}.
 */
@FunctionalInterface
public interface PatchPolicy {

  /**
   * @return empty when the patch is allowed, else why not (for the rejection message)
   */
  Optional<String> deny(BundleUnit unit, FieldSet field);

  /** Allows everything (tests, or a hub-side pre-flight check). */
  static PatchPolicy allowAll() {
    return (unit, field) -> Optional.empty();
  }
}
