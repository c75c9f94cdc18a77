package io.kapro.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;

class WorkersTest {
  @Test
  void workersEndWhenIdleAndAtMostMaxRunAtOnce() throws Exception {
    ExecutorService pool = Workers.shortLived("test-worker", 2);
    try {
      CountDownLatch hold = new CountDownLatch(1);
      CountDownLatch running = new CountDownLatch(2);
      String[] names = new String[2];
      for (int i = 0; i < 2; i++) {
        int id = i;
        pool.execute(
            () -> {
              names[id] = Thread.currentThread().getName();
              assertThat(Thread.currentThread().isDaemon()).isTrue();
              running.countDown();
              try {
                hold.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
      }
      running.await();
      assertThat(names).allMatch(n -> n.startsWith("test-worker-"));
      assertThatThrownBy(() -> pool.execute(() -> {}))
          .isInstanceOf(RejectedExecutionException.class);
      hold.countDown();
      // no thread stays for work that comes every 10 to 30 s
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> ((ThreadPoolExecutor) pool).getPoolSize() == 0);
    } finally {
      pool.shutdownNow();
    }
  }
}
