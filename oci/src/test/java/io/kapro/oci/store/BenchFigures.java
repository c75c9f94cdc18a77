package io.kapro.oci.store;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Figures of one publishing benchmark run, and how they are written down. */
record BenchFigures(
    int bundles,
    int concurrency,
    long storeMillis,
    long bareMillis,
    long storeP50Millis,
    long storeP95Millis,
    long bareP50Millis,
    long bareP95Millis,
    String registry,
    String machine,
    Instant date) {

  static BenchFigures of(int n, int concurrency, long[] store, long[] bare, String registry) {
    return new BenchFigures(
        n,
        concurrency,
        Math.max(1, store[0] / 1_000_000),
        Math.max(1, bare[0] / 1_000_000),
        RegistryPublishBenchIT.percentile(store, 0.50) / 1_000_000,
        RegistryPublishBenchIT.percentile(store, 0.95) / 1_000_000,
        RegistryPublishBenchIT.percentile(bare, 0.50) / 1_000_000,
        RegistryPublishBenchIT.percentile(bare, 0.95) / 1_000_000,
        registry,
        describeMachine(),
        Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  double ratio() {
    return (double) storeMillis / bareMillis;
  }

  double storeRate() {
    return bundles * 1000.0 / storeMillis;
  }

  double bareRate() {
    return bundles * 1000.0 / bareMillis;
  }

  String toJson(String command) {
    return String.format(
        Locale.ROOT,
        "{\n  \"benchmark\": \"oci-publish\",\n  \"date\": \"%s\",\n  \"machine\": \"%s\",\n  \"registry\": \"%s\",\n"
            + "  \"command\": \"%s\",\n  \"bundles\": %d,\n  \"concurrency\": %d,\n"
            + "  \"store\": {\"totalMillis\": %d, \"bundlesPerSecond\": %.1f, \"p50Millis\": %d, \"p95Millis\": %d},\n"
            + "  \"bareHttp\": {\"totalMillis\": %d, \"bundlesPerSecond\": %.1f, \"p50Millis\": %d, \"p95Millis\": %d},\n"
            + "  \"ratioStoreToBare\": %.2f\n}\n",
        date,
        esc(machine),
        esc(registry),
        esc(command),
        bundles,
        concurrency,
        storeMillis,
        storeRate(),
        storeP50Millis,
        storeP95Millis,
        bareMillis,
        bareRate(),
        bareP50Millis,
        bareP95Millis,
        ratio());
  }

  String toMarkdown(String command) {
    return String.format(
        Locale.ROOT,
        "## Issue 3 — publishing signed bundles to a registry\n\n"
            + "%d signed bundles, one repository each (per bundle: 4 blobs, the manifest by digest, the cosign"
            + " signature manifest, tags `seq-1` and `desired`), concurrency %d, into the local distribution registry"
            + " (%s, plain HTTP on 127.0.0.1, filesystem storage).\n\n"
            + "| path | total | bundles/s | p50 per bundle | p95 per bundle |\n|---|---|---|---|---|\n"
            + "| `RegistryStore` (oras-java 0.7.0) via `BundlePublisher` | %.1f s | %.1f | %d ms | %d ms |\n"
            + "| bare JDK `HttpClient`, same bytes, same concurrency | %.1f s | %.1f | %d ms | %d ms |\n\n"
            + "Ratio store / bare: **%.2f×**. The store does more per bundle than the baseline: oras-java checks"
            + " each blob with a HEAD before uploading and reads every manifest back after pushing it. The machine"
            + " is shared with other builds, so absolute figures are indicative; both paths ran in the same"
            + " run against the same registry, one after the other.\n\n"
            + "- machine: %s\n- date: %s\n- command: `%s`\n- raw figures: [benchmarks-oci.json](benchmarks-oci.json)\n",
        bundles,
        concurrency,
        registry,
        storeMillis / 1000.0,
        storeRate(),
        storeP50Millis,
        storeP95Millis,
        bareMillis / 1000.0,
        bareRate(),
        bareP50Millis,
        bareP95Millis,
        ratio(),
        machine,
        date,
        command);
  }

  static String describeMachine() {
    String cpu = "unknown CPU";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    long mem = 0;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      mem = os.getTotalMemorySize() / (1024 * 1024 * 1024);
    }
    return String.format(
        Locale.ROOT,
        "%s, %d CPUs visible to the JVM, %d GiB RAM, %s %s, Java %s",
        cpu,
        Runtime.getRuntime().availableProcessors(),
        mem,
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        System.getProperty("java.version"));
  }

  private static String esc(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ");
  }
}
