package io.kapro.hub.shard;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;

/**
 * A reconciler that acts only on the objects of the shards this replica owns; for the others it
 * does nothing and schedules nothing (their owner does the work). Every event path ends here, so
 * timers, retries and secondary-resource events of a shard this replica has lost stop at the gate
 * too. Subclass it once per primary type with a named class: JOSDK reads the primary type from the
 * type argument and keys controllers on the class's canonical name (anonymous classes have none).
 */
public abstract class ShardGate<P extends HasMetadata> implements Reconciler<P> {
  private final Reconciler<P> delegate;
  private final ShardOwnership shards;

  protected ShardGate(Reconciler<P> delegate, ShardOwnership shards) {
    this.delegate = delegate;
    this.shards = shards;
  }

  /** Whether this replica owns {@code resource}'s shard now. */
  public boolean owns(HasMetadata resource) {
    return shards.shards() == 1
        ? shards.owns(0)
        : shards.owns(ShardKeys.shardOf(resource, shards.shards()));
  }

  @Override
  public UpdateControl<P> reconcile(P resource, Context<P> context) throws Exception {
    if (!owns(resource)) {
      return UpdateControl.noUpdate();
    }
    return delegate.reconcile(resource, context);
  }

  @Override
  public List<EventSource<?, P>> prepareEventSources(EventSourceContext<P> context) {
    return delegate.prepareEventSources(context);
  }

  @Override
  public ErrorStatusUpdateControl<P> updateErrorStatus(
      P resource, Context<P> context, Exception e) {
    if (!owns(resource)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    return delegate.updateErrorStatus(resource, context, e);
  }
}
