package io.kapro.oci.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.MediaTypes;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.testing.BarePush;
import io.kapro.oci.testing.LocalRegistry;
import io.kapro.oci.testing.Registries;
import io.kapro.oci.testing.TestBundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Publishing throughput: N signed bundles (one repository each) into the local registry through
 * {@link RegistryStore} + {@link BundlePublisher}, then the same bytes with a bare JDK HttpClient
 * at the same concurrency. {@link #publishThousandBundles()} is the benchmark (tag {@code bench};
 * it rewrites the issue-3 section of docs/benchmarks.md and docs/benchmarks-oci.json); {@link
 * #smoke()} runs a tiny size in CI and only checks that figures come out.
 */
class RegistryPublishBenchIT {
  static final int CONCURRENCY = 8;
  static final String COMMAND =
      "./mvnw -B -ntp -Pbench -pl oci verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Dit.test=RegistryPublishBenchIT";

  @Test
  void smoke() throws Exception {
    BenchFigures f = run(12, 2);
    assertThat(f.storeMillis()).isPositive();
    assertThat(f.bareMillis()).isPositive();
    assertThat(f.ratio()).isPositive();
    Path out = Path.of("target", "benchmarks");
    Files.createDirectories(out);
    Files.writeString(out.resolve("oci-publish-smoke.json"), f.toJson(COMMAND));
    assertThat(out.resolve("oci-publish-smoke.json")).isNotEmptyFile();
  }

  @Test
  @Tag("bench")
  void publishThousandBundles() throws Exception {
    BenchFigures f = run(1000, 50);
    Path docs = BenchDocs.docsDir();
    BenchDocs.writeSection(docs.resolve("benchmarks.md"), f.toMarkdown(COMMAND));
    Files.writeString(docs.resolve("benchmarks-oci.json"), f.toJson(COMMAND));
    assertThat(f.storeMillis()).isPositive();
  }

  static BenchFigures run(int n, int warmup) throws Exception {
    SigningKey key = SigningKey.generate();
    try (LocalRegistry registry = LocalRegistry.startPlain()) {
      RegistryStore store = new RegistryStore(Registries.config(registry));
      BarePush bare = new BarePush(registry.host());
      // warm both paths (JIT, connection pools, registry caches) on their own repositories
      timeStore(store, bundles(key, "warm-store", warmup));
      timeBare(bare, bundles(key, "warm-bare", warmup));
      List<BundlePublisher.Request> viaStore = bundles(key, "store", n);
      List<BundlePublisher.Request> viaBare = bundles(key, "bare", n);
      long[] storeLat = timeStore(store, viaStore);
      long[] bareLat = timeBare(bare, viaBare);
      return BenchFigures.of(n, CONCURRENCY, storeLat, bareLat, registryVersion());
    }
  }

  static List<BundlePublisher.Request> bundles(SigningKey key, String tenant, int n) {
    Instant now = Instant.now();
    List<BundlePublisher.Request> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String cluster = "c" + i;
      String repo = "kapro/" + tenant + "/" + cluster;
      out.add(
          new BundlePublisher.Request(
              repo,
              SignedBundle.sign(
                  TestBundles.payload(tenant, cluster, 1, now, Duration.ofHours(24)), key, repo)));
    }
    return out;
  }

  /** Element 0: wall-clock nanos for all; then one latency per bundle. */
  static long[] timeStore(RegistryStore store, List<BundlePublisher.Request> reqs) {
    long[] lat = new long[reqs.size() + 1];
    BundlePublisher publisher = new BundlePublisher(store, CONCURRENCY, RetryPolicy.none());
    long t0 = System.nanoTime();
    Semaphore permits = new Semaphore(CONCURRENCY);
    try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<long[]>> fs = new ArrayList<>();
      for (BundlePublisher.Request r : reqs) {
        fs.add(
            exec.submit(
                () -> {
                  permits.acquire();
                  try {
                    long s = System.nanoTime();
                    BundlePublisher.Result res = publisher.publish(r);
                    return new long[] {
                      System.nanoTime() - s, res instanceof BundlePublisher.Result.Published ? 1 : 0
                    };
                  } finally {
                    permits.release();
                  }
                }));
      }
      for (int i = 0; i < fs.size(); i++) {
        long[] v = fs.get(i).get();
        if (v[1] != 1) {
          throw new IllegalStateException(
              "publishing through the store failed for " + reqs.get(i).repository());
        }
        lat[i + 1] = v[0];
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    lat[0] = System.nanoTime() - t0;
    return lat;
  }

  static long[] timeBare(BarePush bare, List<BundlePublisher.Request> reqs) throws Exception {
    long[] lat = new long[reqs.size() + 1];
    Semaphore permits = new Semaphore(CONCURRENCY);
    long t0 = System.nanoTime();
    try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Long>> fs = new ArrayList<>();
      for (BundlePublisher.Request r : reqs) {
        fs.add(
            exec.submit(
                () -> {
                  permits.acquire();
                  try {
                    long s = System.nanoTime();
                    barePut(bare, r.repository(), r.bundle());
                    return System.nanoTime() - s;
                  } finally {
                    permits.release();
                  }
                }));
      }
      for (int i = 0; i < fs.size(); i++) {
        lat[i + 1] = fs.get(i).get();
      }
    }
    lat[0] = System.nanoTime() - t0;
    return lat;
  }

  static String registryVersion() {
    try {
      Process p =
          new ProcessBuilder(
                  System.getProperty("kapro.registry.binary", "/usr/bin/docker-registry"),
                  "--version")
              .redirectErrorStream(true)
              .start();
      String v = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return v;
    } catch (IOException | InterruptedException e) {
      return "unknown";
    }
  }

  static long percentile(long[] withTotal, double q) {
    long[] l = Arrays.copyOfRange(withTotal, 1, withTotal.length);
    Arrays.sort(l);
    return l[(int) Math.min(l.length - 1, Math.ceil(q * l.length) - 1)];
  }

  /**
   * The bytes {@code BundleStore.put} writes, in its order, with nothing but HTTP (the baseline).
   */
  static void barePut(BarePush bare, String repo, SignedBundle b) throws Exception {
    bare.blob(repo, MediaTypes.EMPTY_CONFIG);
    bare.blob(repo, b.bundle().layer());
    bare.manifest(repo, b.digest(), b.bundle().manifest());
    bare.blob(repo, b.signature().config());
    bare.blob(repo, b.signature().payload());
    bare.manifest(repo, BundleRepository.signatureTag(b.digest()), b.signature().manifest());
    bare.manifest(repo, b.bundle().sequenceTag(), b.bundle().manifest());
    bare.manifest(repo, BundleRepository.DESIRED_TAG, b.bundle().manifest());
  }
}
