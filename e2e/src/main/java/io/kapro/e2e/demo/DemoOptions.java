package io.kapro.e2e.demo;

import io.kapro.api.Durations;
import io.kapro.api.KaproApiException;
import io.kapro.api.v1alpha2.DriftPolicy;
import io.kapro.api.v1alpha2.OnFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the demo runs.
 *
 * @param clusters how many simulated clusters (one canary, the rest prod, alternating eu and us)
 * @param fail the cluster whose fake Flux controller fails the new version, if any
 * @param onFailure the Plan's onFailure for both stages (Halt or Rollback)
 * @param layout publish to an OCI layout directory even when a registry is installed
 * @param keep stay up after the run until Ctrl-C, for kubectl
 * @param soak the canary's soak (the example's 10m, shortened)
 * @param untrustedKey the cluster whose agent trusts a different key than the fleet signs with
 * @param drift the Fleet's drift policy (Report, the default, or Reapply)
 */
public record DemoOptions(
    int clusters,
    Optional<String> fail,
    OnFailure onFailure,
    boolean layout,
    boolean keep,
    Duration soak,
    Optional<String> untrustedKey,
    DriftPolicy drift) {

  /** Most clusters the demo starts (each has its own API server and agent in this process). */
  public static final int MAX_CLUSTERS = 50;

  static final String USAGE =
      """
      usage: ./scripts/demo [--clusters N] [--fail CLUSTER [--on-failure halt|rollback]]
                            [--layout] [--keep] [--soak DURATION] [--untrusted-key CLUSTER]
        --clusters N          simulated clusters, 2..%d (default 5: canary-eu-1, prod-eu-1,
                              prod-us-1, prod-eu-2, prod-us-2; more go to prod)
        --fail CLUSTER        that cluster's fake Flux controller fails the new web version
        --on-failure POLICY   what the Plan does then: halt (default) or rollback
        --layout              publish to an OCI layout directory (the air-gap path) even when
                              the distribution registry is installed
        --keep                stay up after the run for kubectl, until Ctrl-C
        --soak DURATION       the canary's soak, e.g. 5s (default; the example says 10m)
        --untrusted-key CLUSTER  that cluster's agent trusts another key: its bundles are refused
      """
          .formatted(MAX_CLUSTERS);

  /** Defaults: 5 clusters, no failure, Halt, registry if installed, 5 s soak. */
  public static DemoOptions defaults() {
    return new DemoOptions(
        5,
        Optional.empty(),
        OnFailure.Halt,
        false,
        false,
        Duration.ofSeconds(5),
        Optional.empty(),
        DriftPolicy.Report);
  }

  /** Parses the command line; every problem is reported with the flag and the fix. */
  public static DemoOptions parse(String... args) {
    DemoOptions o = defaults();
    int clusters = o.clusters;
    Optional<String> fail = Optional.empty();
    Optional<String> untrusted = Optional.empty();
    OnFailure onFailure = o.onFailure;
    boolean layout = false;
    boolean keep = false;
    Duration soak = o.soak;
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (a) {
        case "--layout" -> layout = true;
        case "--keep" -> keep = true;
        case "--clusters", "--fail", "--on-failure", "--soak", "--untrusted-key" -> {
          if (value == null || value.startsWith("--")) {
            problems.add(a + " needs a value");
            continue;
          }
          i++;
          switch (a) {
            case "--clusters" -> {
              try {
                clusters = Integer.parseInt(value);
              } catch (NumberFormatException e) {
                clusters = -1;
              }
              if (clusters < 2 || clusters > MAX_CLUSTERS) {
                problems.add("--clusters '" + value + "': give a number from 2 to " + MAX_CLUSTERS);
              }
            }
            case "--fail" -> fail = Optional.of(value);
            case "--untrusted-key" -> untrusted = Optional.of(value);
            case "--on-failure" -> {
              switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "halt" -> onFailure = OnFailure.Halt;
                case "rollback" -> onFailure = OnFailure.Rollback;
                default -> problems.add("--on-failure '" + value + "': use halt or rollback");
              }
            }
            default -> {
              try {
                soak = Durations.parsePositive(value);
              } catch (KaproApiException e) {
                problems.add("--soak '" + value + "': give a duration such as 5s, 30s or 2m");
              }
            }
          }
        }
        case "-h", "--help" -> throw new IllegalArgumentException(USAGE);
        default -> problems.add("unknown argument '" + a + "'");
      }
    }
    if (problems.isEmpty()) {
      List<String> names = clusterNames(clusters);
      fail.filter(f -> !names.contains(f))
          .ifPresent(f -> problems.add("--fail '" + f + "': no such cluster; one of " + names));
      untrusted
          .filter(f -> !names.contains(f))
          .ifPresent(
              f -> problems.add("--untrusted-key '" + f + "': no such cluster; one of " + names));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "kapro demo: " + String.join("\n  ", problems) + "\n" + USAGE);
    }
    return new DemoOptions(clusters, fail, onFailure, layout, keep, soak, untrusted, o.drift());
  }

  /**
   * {@code canary-eu-1}, then prod clusters alternating {@code prod-eu-K} and {@code prod-us-K}.
   */
  public static List<String> clusterNames(int n) {
    List<String> out = new ArrayList<>();
    out.add("canary-eu-1");
    for (int i = 0; i < n - 1; i++) {
      out.add((i % 2 == 0 ? "prod-eu-" : "prod-us-") + (i / 2 + 1));
    }
    return out;
  }

  public DemoOptions withClusters(int n) {
    return new DemoOptions(n, fail, onFailure, layout, keep, soak, untrustedKey, drift);
  }

  public DemoOptions withFail(String cluster, OnFailure policy) {
    return new DemoOptions(
        clusters, Optional.of(cluster), policy, layout, keep, soak, untrustedKey, drift);
  }

  public DemoOptions withUntrustedKey(String cluster) {
    return new DemoOptions(
        clusters, fail, onFailure, layout, keep, soak, Optional.of(cluster), drift);
  }

  public DemoOptions withSoak(Duration soak) {
    return new DemoOptions(clusters, fail, onFailure, layout, keep, soak, untrustedKey, drift);
  }

  public DemoOptions withDrift(DriftPolicy policy) {
    return new DemoOptions(clusters, fail, onFailure, layout, keep, soak, untrustedKey, policy);
  }

  public DemoOptions withLayout() {
    return new DemoOptions(clusters, fail, onFailure, true, keep, soak, untrustedKey, drift);
  }
}
