package io.kapro.oci.store;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter for retryable store failures (HTTP 429, 5xx, connection
 * errors); everything else (401, 403, 400, bad input) fails at once.
 *
 * @param maxAttempts total attempts including the first (≥ 1)
 * @param initialBackoff backoff ceiling before the second attempt
 * @param maxBackoff backoff ceiling cap
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new OciException(
          Reason.INVALID_INPUT, "retry maxAttempts must be ≥ 1, got " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new OciException(Reason.INVALID_INPUT, "retry backoff must satisfy 0 ≤ initial ≤ max");
    }
  }

  /** 5 attempts, 200 ms doubling up to 10 s. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(10));
  }

  /** No retries. */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
  }

  /**
   * The sleep before attempt {@code attempt + 1} (attempt counts from 1): random in [0, ceiling].
   */
  public Duration backoff(int attempt) {
    long ceiling = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
    ceiling = Math.min(ceiling, maxBackoff.toMillis());
    return Duration.ofMillis(ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1));
  }
}
