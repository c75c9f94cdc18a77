package io.kapro.api.v1alpha2;

import java.util.List;

/** Group, version and the kinds of the Kapro API. */
public final class KaproApi {
  /** API group of every Kapro kind. */
  public static final String GROUP = "kapro.io";

  /** Served and stored version. */
  public static final String VERSION = "v1alpha2";

  /** {@code kapro.io/v1alpha2}. */
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** Every Kapro custom resource class, in the order the CRDs are documented. */
  public static final List<Class<? extends io.fabric8.kubernetes.client.CustomResource<?, ?>>>
      KINDS =
          List.of(
              Fleet.class,
              Cluster.class,
              Plan.class,
              Promotion.class,
              PromotionRun.class,
              Target.class,
              Approval.class,
              Source.class,
              SourceGroup.class);

  private KaproApi() {}
}
