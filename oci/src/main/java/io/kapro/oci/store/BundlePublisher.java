package io.kapro.oci.store;

import io.kapro.oci.OciException;
import io.kapro.oci.sign.SignedBundle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts many signed bundles into a store with bounded parallelism (virtual threads, at most {@code
 * parallelism} in flight) and retries with exponential backoff on retryable failures. A put is
 * idempotent (content-addressed blobs, same manifest bytes), so retrying a whole put is safe.
 */
public final class BundlePublisher {
  private static final Logger LOG = LoggerFactory.getLogger(BundlePublisher.class);

  private final BundleStore store;
  private final int parallelism;
  private final RetryPolicy retry;

  public BundlePublisher(BundleStore store, int parallelism, RetryPolicy retry) {
    if (parallelism < 1) {
      throw new OciException(
          OciException.Reason.INVALID_INPUT, "parallelism must be ≥ 1, got " + parallelism);
    }
    this.store = store;
    this.parallelism = parallelism;
    this.retry = retry;
  }

  /** One bundle for one repository. */
  public record Request(String repository, SignedBundle bundle) {}

  /** The outcome of one request. */
  public sealed interface Result {
    Request request();

    int attempts();

    /** Stored; {@code digest} is the bundle manifest digest. */
    record Published(Request request, String digest, int attempts) implements Result {}

    /** Not stored; {@code error} says why (its message names the store and what to check). */
    record Failed(Request request, OciException error, int attempts) implements Result {}
  }

  /** Puts one bundle, retrying retryable failures. */
  public Result publish(Request request) {
    for (int attempt = 1; ; attempt++) {
      try {
        String digest = store.put(request.repository(), request.bundle());
        return new Result.Published(request, digest, attempt);
      } catch (OciException e) {
        if (!e.isRetryable() || attempt >= retry.maxAttempts()) {
          LOG.warn(
              "publishing to {} failed after {} attempt(s): {}",
              request.repository(),
              attempt,
              e.getMessage());
          return new Result.Failed(request, e, attempt);
        }
        long sleep = retry.backoff(attempt).toMillis();
        LOG.debug(
            "publishing to {} failed (attempt {}), retrying in {} ms: {}",
            request.repository(),
            attempt,
            sleep,
            e.getMessage());
        try {
          Thread.sleep(sleep);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return new Result.Failed(request, e, attempt);
        }
      }
    }
  }

  /** Puts all bundles, at most {@code parallelism} at a time; results in request order. */
  public List<Result> publishAll(List<Request> requests) {
    Semaphore permits = new Semaphore(parallelism);
    List<Future<Result>> futures = new ArrayList<>(requests.size());
    try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Request r : requests) {
        futures.add(
            exec.submit(
                () -> {
                  permits.acquire();
                  try {
                    return publish(r);
                  } finally {
                    permits.release();
                  }
                }));
      }
      List<Result> results = new ArrayList<>(requests.size());
      for (Future<Result> f : futures) {
        try {
          results.add(f.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("publish task failed unexpectedly", e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while publishing", e);
        }
      }
      return results;
    }
  }
}
