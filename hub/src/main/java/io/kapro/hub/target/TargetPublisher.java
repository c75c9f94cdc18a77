package io.kapro.hub.target;

/**
 * Issues a Target's bundle (build, sign, push, move the {@code desired} tag) and says what was
 * published. Implemented by the publisher; tests use a double. Throws to have the Target retried.
 */
public interface TargetPublisher {
  PublishedBundle publish(PublishRequest request) throws Exception;
}
