package io.kapro.oci.mirror;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.mirror.MirrorReport.RepositoryResult;
import io.kapro.oci.mirror.Selection.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs the repository transfers of one mirror run on virtual threads, bounded. */
final class RepositoryRunner {
  private RepositoryRunner() {}

  /**
   * Carries the repositories, at most {@code parallelism} at a time (each repository's writes stay
   * in order). When a store fails, the repositories in flight finish, no other starts, and the
   * first failure (in selection order) is thrown, naming the repository and how to resume.
   */
  static List<Optional<RepositoryResult>> runAll(
      List<Target> targets, RepositoryTransfer transfer, int parallelism, String where) {
    Semaphore permits = new Semaphore(parallelism);
    AtomicBoolean failed = new AtomicBoolean();
    List<Future<Optional<RepositoryResult>>> futures = new ArrayList<>();
    try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Target t : targets) {
        futures.add(
            exec.submit(
                () -> {
                  permits.acquire();
                  try {
                    if (failed.get()) {
                      return Optional.<RepositoryResult>empty(); // not started: a store failed
                    }
                    return transfer.run(t);
                  } catch (RuntimeException e) {
                    failed.set(true);
                    throw e;
                  } finally {
                    permits.release();
                  }
                }));
      }
      List<Optional<RepositoryResult>> out = new ArrayList<>();
      for (int i = 0; i < targets.size(); i++) {
        try {
          out.add(futures.get(i).get());
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof OciException oe) {
            throw new OciException(
                oe.reason(),
                where
                    + ": repository "
                    + targets.get(i).repository()
                    + ": "
                    + oe.getMessage()
                    + " — what was written so far is consistent (tags move last); fix the cause"
                    + " and run the same command again to resume",
                oe);
          }
          throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new OciException(
              Reason.UNREACHABLE, where + ": interrupted; run the same command again to resume");
        }
      }
      return out;
    }
  }
}
