package io.kapro.agent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Executors whose platform threads leave soon after their last task (issue 22: an idle agent keeps
 * no thread, and no touched stack, for work that comes every 10 to 30 s and lasts milliseconds).
 * Virtual threads were measured and not taken: they start the JDK's scheduler (a carrier per core
 * once two tasks overlap, kept 30 s) and its {@code VirtualThread-unblocker}, more threads than
 * they save.
 */
public final class Workers {
  /** How long a worker waits for the next task before it ends. */
  public static final long KEEP_ALIVE_SECONDS = 5;

  private Workers() {}

  /**
   * Up to {@code max} daemon threads named {@code name-N}, none kept once idle for {@link
   * #KEEP_ALIVE_SECONDS}; a task beyond {@code max} at once is refused ({@link
   * java.util.concurrent.RejectedExecutionException}).
   */
  public static ExecutorService shortLived(String name, int max) {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return new ThreadPoolExecutor(
        0,
        max,
        KEEP_ALIVE_SECONDS,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        r -> Thread.ofPlatform().daemon().name(name + "-" + n.getAndIncrement()).unstarted(r));
  }
}
