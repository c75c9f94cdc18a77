package io.kapro.hub.target;

import java.util.function.Predicate;

/**
 * Issues a Target's bundle (build, sign, push, move the {@code desired} tag) and says what was
 * published. Implemented by the publisher; tests use a double. Throws to have the Target retried.
 */
public interface TargetPublisher {
  PublishedBundle publish(PublishRequest request) throws Exception;

  /**
   * As {@link #publish(PublishRequest)}, calling {@code beforePush} with the bundle about to be
   * pushed (sequence reserved, signed, nothing pushed yet): it records the bundle where evidence
   * will look for it and answers false to call the publish off (the Target moved on meanwhile);
   * then the publish returns null and pushes nothing. A double without a push calls it after.
   */
  default PublishedBundle publish(PublishRequest request, Predicate<PublishedBundle> beforePush)
      throws Exception {
    PublishedBundle b = publish(request);
    return beforePush.test(b) ? b : null;
  }

  /** Whether a bundle recorded on a Target is out, answered without waiting. */
  enum Pushed {
    /** pushed whole ({@code desired} moved to it or past it) */
    YES,
    /** not pushed: the publish that recorded it stopped before the push finished */
    NO,
    /** a publish for the cluster is in flight in this process; ask again later */
    UNKNOWN
  }

  /**
   * Whether {@code bundle}, recorded on the Target of {@code request} before its push, went out.
   * Doubles that publish synchronously answer {@link Pushed#YES}.
   */
  default Pushed pushed(PublishRequest request, PublishedBundle bundle) {
    return Pushed.YES;
  }
}
