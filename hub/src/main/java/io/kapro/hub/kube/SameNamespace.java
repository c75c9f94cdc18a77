package io.kapro.hub.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.stream.Collectors;

/**
 * An informer on {@code secondary} whose every change re-reconciles all primaries of the same
 * namespace, read from the primary cache (no LIST): a Fleet change for its Clusters, a Cluster
 * change for the Fleets and runs that count or select it.
 */
public final class SameNamespace {
  private SameNamespace() {}

  public static <S extends HasMetadata, P extends HasMetadata> InformerEventSource<S, P> informer(
      Class<S> secondary, Class<P> primary, EventSourceContext<P> ctx) {
    var primaries = ctx.getPrimaryCache();
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(secondary, primary)
            .withSecondaryToPrimaryMapper(
                s ->
                    primaries
                        .list(s.getMetadata().getNamespace())
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .build(),
        ctx);
  }
}
