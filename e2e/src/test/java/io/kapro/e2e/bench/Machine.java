package io.kapro.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the benchmarks ran on: CPU model and count, memory, OS, Java, load average. */
final class Machine {
  private Machine() {}

  static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpu", cpuModel());
    m.put("cpus", Runtime.getRuntime().availableProcessors());
    m.put("memGiB", memGiB());
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    m.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
    return m;
  }

  /** The 1-, 5- and 15-minute load averages, as /proc/loadavg has them. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static double memGiB() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream()
          .filter(l -> l.startsWith("MemTotal:"))
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0)
          .map(Stats::round)
          .findFirst()
          .orElse(0.0);
    } catch (IOException e) {
      return 0;
    }
  }
}
