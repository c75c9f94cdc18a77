package io.kapro.agent.bundle;

import io.kapro.agent.drift.DriftOptions;
import io.kapro.agent.link.Backoff;
import io.kapro.oci.bundle.BundleRepository;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How a {@link PullLoop} paces itself.
 *
 * @param repository this cluster's repository in the bundle source
 * @param reference the moving tag to follow ({@code desired})
 * @param pollDelay the next poll delay (the configured interval, jittered)
 * @param convergeInterval how often a bundle's objects are judged until they settle
 * @param errorBackoff waits after a failed poll (source unreachable), reset on success
 * @param clock timestamps of evidence
 * @param drift pacing of the drift policy (reapply rate limit, owner-conflict window)
 */
public record PullOptions(
    String repository,
    String reference,
    Supplier<Duration> pollDelay,
    Duration convergeInterval,
    Backoff errorBackoff,
    Clock clock,
    DriftOptions drift) {
  public PullOptions {
    Objects.requireNonNull(drift, "drift");
    BundleRepository.requireRepository(repository);
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(pollDelay, "pollDelay");
    Objects.requireNonNull(errorBackoff, "errorBackoff");
    Objects.requireNonNull(clock, "clock");
    if (convergeInterval.isNegative() || convergeInterval.isZero()) {
      throw new IllegalArgumentException("convergeInterval must be positive");
    }
  }

  /** Options with the default drift pacing ({@link DriftOptions#DEFAULTS}). */
  public PullOptions(
      String repository,
      String reference,
      Supplier<Duration> pollDelay,
      Duration convergeInterval,
      Backoff errorBackoff,
      Clock clock) {
    this(
        repository,
        reference,
        pollDelay,
        convergeInterval,
        errorBackoff,
        clock,
        DriftOptions.DEFAULTS);
  }

  /** These options with other drift pacing. */
  public PullOptions withDrift(DriftOptions value) {
    return new PullOptions(
        repository, reference, pollDelay, convergeInterval, errorBackoff, clock, value);
  }

  /** Follows {@code desired}, judges every 2 s, backs off 1 s up to 5 min, system clock. */
  public static PullOptions of(String repository, Supplier<Duration> pollDelay) {
    return new PullOptions(
        repository,
        BundleRepository.DESIRED_TAG,
        pollDelay,
        Duration.ofSeconds(2),
        new Backoff(
            Duration.ofSeconds(1),
            Duration.ofMinutes(5),
            java.util.random.RandomGenerator.getDefault()),
        Clock.systemUTC());
  }
}
