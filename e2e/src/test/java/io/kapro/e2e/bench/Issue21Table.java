package io.kapro.e2e.bench;

import static io.kapro.e2e.bench.BenchReport.counts;
import static io.kapro.e2e.bench.BenchReport.f;
import static io.kapro.e2e.bench.BenchReport.map;
import static io.kapro.e2e.bench.BenchReport.num;

import java.util.Map;

/**
 * Issue 21's table, filled from one {@code scripts/bench} run: each figure of the issue with its
 * value in the issue ("before", the issue-11 run of 2026-11-22), its value in this run, its goal,
 * whether it holds and, when it does not, by how much; then the API requests per operation by verb
 * and resource. Field names are those of docs/benchmarks-fleet.json.
 */
final class Issue21Table {
  private Issue21Table() {}

  static String markdown(Map<String, Object> all) {
    Map<String, Object> fan = map(all, "fleet", "fanOut");
    Map<String, Object> ing = map(all, "fleet", "ingestion");
    Map<String, Object> hubIng = map(ing, "hub");
    Map<String, Object> paced = map(all, "fleet", "pacedNudged");
    Map<String, Object> idle = map(all, "fleet", "idle");
    Map<String, Object> hub = map(all, "hub");
    Map<String, Object> api = map(all, "localApi");
    Map<String, Object> st = all.get("streams") instanceof Map<?, ?> ? map(all, "streams") : null;
    StringBuilder sb = new StringBuilder();
    sb.append(
        """
        ### Issue 21 — the issue's table, this run

        *Before* is the issue's "now" column (the issue-11 run of 2026-11-22). Request counts are \
        the local API server's, by verb and resource; they do not depend on the machine's load. \
        Times are ratios against a baseline of the same run.

        | figure (JSON field) | before | this run | goal | holds? |
        |---|---|---|---|---|
        """);
    double pub = num(fan, "ratioHubToBare");
    double perBundle = num(fan, "apiRequestsPerBundle");
    sb.append(
        f(
            "| publish fan-out, %s clusters, vs bare push of the same bytes"
                + " (`fleet.fanOut.ratioHubToBare`, `fleet.fanOut.apiRequestsPerBundle`) | 0.22×"
                + " (41.9 API requests per bundle) | %.2f× (%s API requests, %s writes per bundle)"
                + " | ≥ 0.7×, ≤ 4 API requests per bundle | %s |\n",
            fan.get("bundles"),
            pub,
            fan.get("apiRequestsPerBundle"),
            fan.get("apiWritesPerBundle"),
            both(atLeast(pub, 0.7, "×"), atMost(perBundle, 4, " requests"))));
    double ingRatio = num(hubIng, "perSecond") / num(map(ing, "bareEcho"), "perSecond");
    sb.append(
        f(
            "| evidence ingestion, %s agents, vs bare gRPC echo (`fleet.ingestion.ratioHubToEcho`,"
                + " `fleet.ingestion.hub.apiRequestsPerAckedMessage`) | 0.002× (21.8 API requests"
                + " per acked message) | %.3f× (%s API requests, %s writes per acked message) |"
                + " ≥ 0.5×; ≤ 1 write per visible change, 0 when nothing visible changes (each"
                + " message here repeats an unchanged converged state) | %s |\n",
            hubIng.get("agents"),
            ingRatio,
            hubIng.get("apiRequestsPerAckedMessage"),
            hubIng.get("apiWritesPerAckedMessage"),
            both(
                atLeast(ingRatio, 0.5, "×"),
                atMost(num(hubIng, "apiWritesPerAckedMessage"), 0, " writes"))));
    if (st != null) {
      Map<String, Object> si = map(st, "ingestion");
      double sRatio = num(si, "perSecond") / num(map(st, "ingestionBareEcho"), "perSecond");
      sb.append(
          f(
              "| evidence ingestion at %s streams (hub in its own process), vs bare gRPC echo"
                  + " (`streams.ingestion.ratioHubToEcho`,"
                  + " `streams.ingestion.apiRequestsPerAckedMessage`) | not measured | %.3f× (%s"
                  + " acked/s; %s API requests, %s writes per acked message) | as above | %s |\n",
              st.get("streams"),
              sRatio,
              si.get("perSecond"),
              si.get("apiRequestsPerAckedMessage"),
              si.get("apiWritesPerAckedMessage"),
              both(
                  atLeast(sRatio, 0.5, "×"),
                  si.get("apiWritesPerAckedMessage") == null
                      ? "no acked message"
                      : atMost(num(si, "apiWritesPerAckedMessage"), 0, " writes"))));
    }
    Map<String, Object> pp = map(paced, "propagation");
    sb.append(
        f(
            "| nudged propagation p95, %s connected agents (`fleet.pacedNudged.propagation.p95Ms`)"
                + " | 7.4 s (hub part 6.2 s) | %.1f s (hub part, eligible → published, %.1f s) | <"
                + " 2 s | %s |\n",
            paced.get("connectedAgents"),
            num(pp, "p95Ms") / 1000,
            num(map(paced, "eligibleToPublished"), "p95Ms") / 1000,
            below(num(pp, "p95Ms") / 1000, 2, " s")));
    double idleWrites = num(idle, "apiWritesPerClusterHour");
    String live = "";
    if (st != null) {
      Map<String, Object> si = map(st, "idle");
      live =
          f(
              "; live, %s connected agents heartbeating every %s s for %s s: %s writes per"
                  + " cluster-hour (`streams.idle.apiWritesPerClusterHour`)",
              si.get("agents"),
              si.get("heartbeatSeconds"),
              si.get("seconds"),
              si.get("apiWritesPerClusterHour"));
    }
    sb.append(
        f(
            "| API writes per idle connected cluster-hour (`fleet.idle.apiWritesPerClusterHour`) |"
                + " ~120 (a `lastSeen` status write per heartbeat) | %s (one hour counted for %s"
                + " clusters, heartbeats every %s s)%s | ≤ 12 | %s |\n",
            idle.get("apiWritesPerClusterHour"),
            idle.get("clusters"),
            idle.get("heartbeatSeconds"),
            live,
            atMost(idleWrites, 12, " writes")));
    double heap = num(hub, "heapUsedMiBAfterFullGc");
    String streamsHeap = "";
    if (st != null) {
      streamsHeap =
          f(
              "; %s MiB with %s Clusters and %s connected streams"
                  + " (`streams.connect.hubHeapUsedMiBAfterFullGc`)",
              map(st, "connect").get("hubHeapUsedMiBAfterFullGc"),
              st.get("streams"),
              map(st, "connect").get("agents"));
    }
    boolean full = num(hub, "clusters") >= 10_000;
    sb.append(
        f(
            "| hub heap at 10,000 clusters, after a full GC in the hub's process"
                + " (`hub.heapUsedMiBAfterFullGc`, `hub.clusters`) | not measured | %s MiB with %s"
                + " Clusters and %s Targets (`%s`)%s | ≤ 1 GiB, measured | %s |\n",
            hub.get("heapUsedMiBAfterFullGc"),
            hub.get("clusters"),
            hub.get("targets"),
            hub.get("jvm"),
            streamsHeap,
            (full ? "" : "at this size only: ")
                + (Boolean.TRUE.equals(hub.get("alive"))
                    ? atMost(heap, 1024, " MiB")
                    : "no (the hub process died)")));
    String ratioKey = "getRatio" + api.get("large") + "to" + api.get("small");
    sb.append(
        f(
            "| local API server: GET p50 at %s vs %s stored objects (`localApi.%s`) | not measured"
                + " | %s× (status PATCH %s×) | within 2× | %s |\n\n",
            api.get("large"),
            api.get("small"),
            ratioKey,
            api.get(ratioKey),
            api.get("patchRatio" + api.get("large") + "to" + api.get("small")),
            atMost(num(api, ratioKey), 2, "×")));
    sb.append("API requests per operation, by verb and resource (this run):\n\n");
    sb.append("| operation | per operation | by verb and resource |\n|---|---|---|\n");
    sb.append(
        f(
            "| publish one bundle (fan-out of %s) | %s requests, %s writes | %s |\n",
            fan.get("bundles"),
            fan.get("apiRequestsPerBundle"),
            fan.get("apiWritesPerBundle"),
            counts(fan.get("apiRequestsByVerbAndResource"))));
    sb.append(
        f(
            "| ingest one evidence message (%s agents, %s acked in %s s) | %s requests, %s writes"
                + " | %s |\n",
            hubIng.get("agents"),
            hubIng.get("acked"),
            hubIng.get("seconds"),
            hubIng.get("apiRequestsPerAckedMessage"),
            hubIng.get("apiWritesPerAckedMessage"),
            counts(hubIng.get("apiRequestsByVerbAndResource"))));
    if (st != null) {
      Map<String, Object> si = map(st, "ingestion");
      Map<String, Object> sc = map(st, "connect");
      sb.append(
          f(
              "| ingest one evidence message (%s streams, %s acked in %s s) | %s requests, %s"
                  + " writes | %s |\n",
              si.get("agents"),
              si.get("acked"),
              si.get("seconds"),
              si.get("apiRequestsPerAckedMessage"),
              si.get("apiWritesPerAckedMessage"),
              counts(si.get("apiRequestsByVerbAndResource"))));
      sb.append(
          f(
              "| one agent connects (%s at once) | %s requests, %s writes | %s |\n",
              sc.get("agents"),
              sc.get("apiRequestsPerConnect"),
              sc.get("apiWritesPerConnect"),
              counts(sc.get("apiRequestsByVerbAndResource"))));
    }
    sb.append(
        f(
            "| one idle connected cluster-hour (counted, %s clusters) | %s requests, %s writes |"
                + " %s |\n\n",
            idle.get("clusters"),
            idle.get("apiRequestsPerClusterHour"),
            idle.get("apiWritesPerClusterHour"),
            counts(idle.get("apiRequestsByVerbAndResource"))));
    sb.append("Where the requests of each operation go (per operation, largest first):\n\n");
    sb.append(
        where("publish one bundle", fan.get("apiRequestsByVerbAndResource"), num(fan, "bundles")));
    sb.append(
        where(
            "ingest one evidence message (" + hubIng.get("agents") + " agents)",
            hubIng.get("apiRequestsByVerbAndResource"),
            num(hubIng, "acked")));
    if (st != null) {
      Map<String, Object> si = map(st, "ingestion");
      Map<String, Object> sc = map(st, "connect");
      sb.append(
          where(
              "ingest one evidence message (" + st.get("streams") + " streams)",
              si.get("apiRequestsByVerbAndResource"),
              num(si, "acked")));
      sb.append(
          where(
              "one agent connects", sc.get("apiRequestsByVerbAndResource"), num(sc, "connected")));
    }
    sb.append("\n");
    return sb.toString();
  }

  /**
   * What each verb and resource is spent on in the hub (from reading the code paths that make
   * them); a request not listed here is shown without a cause.
   */
  static final Map<String, String> CAUSES =
      Map.ofEntries(
          Map.entry(
              "get targets",
              "the Target reconciler's fresh read of the Target (before a publish: a guard,"
                  + " publishing is not idempotent)"),
          Map.entry(
              "patch targets/status", "Target status: bundle recorded, Published, evidence number"),
          Map.entry("update targets/status", "the engine's status of each Target it creates"),
          Map.entry("create targets", "the engine creates the Target (in the budget)"),
          Map.entry("patch targets", "the Target's phase label"),
          Map.entry(
              "patch clusters/status",
              "Cluster status: sequence reserved and published, the durable evidence number an"
                  + " ack rests on, converged versions, Connected"),
          Map.entry("get clusters", "a Cluster read before a status write (read-modify-write)"),
          Map.entry("get fleets", "the Fleet read per bundle or engine step"),
          Map.entry("list fleets", "the event outbox's poll (once a second, hub-wide)"),
          Map.entry("get configmaps", "the event outbox's poll (once a second, hub-wide)"),
          Map.entry(
              "get secrets",
              "Secret reads: the Fleet's signing key per publish; on connects and evidence not"
                  + " attributed"),
          Map.entry("create events", "a Kubernetes Event per Target transition"),
          Map.entry("create leases", "the cluster's liveness Lease taken"),
          Map.entry("get leases", "the cluster's liveness Lease read before it is taken"),
          Map.entry("update leases", "liveness Leases taken over or renewed, the leader Lease"));

  @SuppressWarnings("unchecked")
  static String where(String operation, Object byVerb, double operations) {
    if (!(byVerb instanceof Map<?, ?> m) || m.isEmpty() || operations <= 0) {
      return "";
    }
    StringBuilder sb = new StringBuilder("- **" + operation + "**: ");
    String items =
        ((Map<String, Object>) m)
            .entrySet().stream()
                .sorted(
                    (a, b) ->
                        Long.compare(
                            ((Number) b.getValue()).longValue(),
                            ((Number) a.getValue()).longValue()))
                .limit(6)
                .map(
                    e -> {
                      double per = ((Number) e.getValue()).doubleValue() / operations;
                      String cause = CAUSES.get(e.getKey());
                      return f("%.2f %s", per, e.getKey())
                          + (cause == null ? "" : " (" + cause + ")");
                    })
                .collect(java.util.stream.Collectors.joining("; "));
    return sb.append(items).append(".\n").toString();
  }

  private static String both(String a, String b) {
    return a.equals("yes") && b.equals("yes") ? "yes" : a + "; " + b;
  }

  static String atLeast(double value, double goal, String unit) {
    return value >= goal
        ? "yes"
        : f(
            "**no**, %.2f%s short of %s%s (%.0f%% of the goal)",
            goal - value, unit, fmt(goal), unit, value / goal * 100);
  }

  static String atMost(double value, double goal, String unit) {
    if (value <= goal) {
      return "yes";
    }
    return goal == 0
        ? f("**no**, %s%s over 0", fmt(value), unit)
        : f(
            "**no**, %s%s over %s (%.1f× the goal)",
            fmt(value - goal), unit, fmt(goal), value / goal);
  }

  static String below(double value, double goal, String unit) {
    return value < goal ? "yes" : f("**no**, %s%s over", fmt(value - goal), unit);
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : f("%.2f", v);
  }
}
