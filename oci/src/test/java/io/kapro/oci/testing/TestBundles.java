package io.kapro.oci.testing;

import io.kapro.oci.bundle.BundlePayload;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.FieldSet;
import io.kapro.oci.bundle.ObjectReference;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Realistic bundle payloads for tests. */
public final class TestBundles {
  private TestBundles() {}

  /** A Flux HelmRelease unit setting the chart version. */
  public static BundleUnit helmUnit(String name, String version) {
    return new BundleUnit(
        name,
        "Flux",
        new ObjectReference("helm.toolkit.fluxcd.io/v2", "HelmRelease", "apps", name),
        version,
        "",
        List.of(new FieldSet("spec.chart.spec.version", version)));
  }

  /** An Argo CD Application unit setting the target revision. */
  public static BundleUnit argoUnit(String name, String revision) {
    return new BundleUnit(
        name,
        "ArgoCD",
        new ObjectReference("argoproj.io/v1alpha1", "Application", "argocd", name),
        revision,
        "",
        List.of(new FieldSet("spec.source.targetRevision", revision)));
  }

  /** A payload with two units, issued at {@code issued}, valid for {@code ttl}. */
  public static BundlePayload payload(
      String namespace, String cluster, long sequence, Instant issued, Duration ttl) {
    return BundlePayload.of(
        cluster,
        namespace,
        "fleet-a",
        "promo-1-run-1",
        sequence,
        issued,
        issued.plus(ttl),
        List.of(helmUnit("podinfo", "6.5.4"), argoUnit("guestbook", "v1.2.0")),
        false);
  }
}
