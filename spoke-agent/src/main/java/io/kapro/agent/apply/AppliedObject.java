package io.kapro.agent.apply;

import io.kapro.agent.config.ManagedKind;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.ObjectReference;
import java.time.Instant;
import java.util.List;

/**
 * One local object a bundle patched, with what the convergence judge needs later.
 *
 * @param ref the object
 * @param kind its managed kind
 * @param units the bundle's units that target it (usually one; Argo CD multi-source apps may have
 *     one per source)
 * @param requestedAt the {@code reconcile.fluxcd.io/requestedAt} token written (Flux), else empty
 * @param generation {@code metadata.generation} right after the patch
 * @param appliedAt when the patch was written (agent clock)
 * @param syncStarted whether an Argo CD sync operation was requested (the app has no automated
 *     sync)
 */
public record AppliedObject(
    ObjectReference ref,
    ManagedKind kind,
    List<BundleUnit> units,
    String requestedAt,
    long generation,
    Instant appliedAt,
    boolean syncStarted) {
  public AppliedObject {
    units = List.copyOf(units);
  }
}
