package io.kapro.hub.it;

import io.kapro.hub.kube.ResourceNames;
import io.kapro.hub.target.PublishRequest;
import io.kapro.hub.target.PublishedBundle;
import io.kapro.hub.target.TargetPublisher;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test double for the publisher: a sequence per cluster, a digest of the request, a record of
 * calls.
 */
final class RecordingPublisher implements TargetPublisher {
  final List<PublishRequest> published = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicLong> sequences = new ConcurrentHashMap<>();
  private final Clock clock;

  RecordingPublisher(Clock clock) {
    this.clock = clock;
  }

  @Override
  public PublishedBundle publish(PublishRequest r) {
    long seq = sequences.computeIfAbsent(r.cluster(), c -> new AtomicLong()).incrementAndGet();
    published.add(r);
    String digest = "sha256:" + ResourceNames.sha256(r.cluster() + "/" + seq + "/" + r.units());
    return new PublishedBundle(
        seq, digest, clock.instant(), clock.instant().plus(Duration.ofHours(24)));
  }
}
