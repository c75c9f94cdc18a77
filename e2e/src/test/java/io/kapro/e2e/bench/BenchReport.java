package io.kapro.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the fleet figures to docs/benchmarks-fleet.json and the issue-11 section of
 * docs/benchmarks.md (between its markers; other sections are kept as they are).
 */
final class BenchReport {
  static final String BEGIN = "<!-- issue-11:begin -->";
  static final String END = "<!-- issue-11:end -->";

  private BenchReport() {}

  static void write(Path docs, Map<String, Object> all) throws IOException {
    Figures.write(docs.resolve("benchmarks-fleet.json"), all);
    writeSection(docs.resolve("benchmarks.md"), markdown(all));
  }

  static void writeSection(Path file, String body) throws IOException {
    String section = BEGIN + "\n" + body + END + "\n";
    String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\n";
    int b = text.indexOf(BEGIN);
    int e = text.indexOf(END);
    if (b >= 0 && e > b) {
      text =
          text.substring(0, b) + section + text.substring(e + END.length()).replaceFirst("^\n", "");
    } else {
      text = text + (text.endsWith("\n\n") ? "" : "\n") + section;
    }
    Files.writeString(file, text);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> m, String... path) {
    Map<String, Object> cur = m;
    for (String p : path) {
      cur = (Map<String, Object>) cur.get(p);
    }
    return cur;
  }

  static double num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }

  static String markdown(Map<String, Object> all) {
    Map<String, Object> machine = map(all, "machine");
    Map<String, Object> fan = map(all, "fleet", "fanOut");
    Map<String, Object> paced = map(all, "fleet", "pacedNudged");
    Map<String, Object> polled = map(all, "fleet", "polled");
    Map<String, Object> ing = map(all, "fleet", "ingestion");
    Map<String, Object> hub = map(all, "hub");
    // "before" ran only when the bench was given a baseline build (-Dkapro.bench.agentBuilds)
    Map<String, Object> before =
        map(all, "agent").containsKey("before") ? map(all, "agent", "before") : Map.of();
    Map<String, Object> after = map(all, "agent", "after");
    StringBuilder sb = new StringBuilder();
    sb.append("## Issue 11 — the fleet at scale, each against a same-run baseline\n\n");
    sb.append(
        f(
            "- command: `%s` (all five at default sizes; sizes via `-Dkapro.bench.*`, see"
                + " `BenchSizes`)\n- date: %s; total %s s\n- machine: %s, %s CPUs, %s GiB RAM,"
                + " %s, %s; shared with other builds — load average %s at the start, %s after"
                + " benchmarks 1–3, %s at the end\n- raw figures:"
                + " [benchmarks-fleet.json](benchmarks-fleet.json)\n\n",
            all.get("command"),
            all.get("date"),
            all.get("totalSeconds"),
            machine.get("cpu"),
            machine.get("cpus"),
            machine.get("memGiB"),
            machine.get("os"),
            machine.get("java"),
            all.get("loadAverageAtStart"),
            all.get("loadAverageAfterFleet"),
            all.get("loadAverageAtEnd")));
    sb.append("| # | benchmark | figure | baseline (same run) | ratio | target | met |\n");
    sb.append("|---|---|---|---|---|---|---|\n");
    double pubRatio = num(fan, "ratioHubToBare");
    sb.append(
        f(
            "| 1 | publish fan-out, %s clusters | %s bundles/s | bare HTTP push: %s bundles/s |"
                + " %.2f× | ≥ 0.7× | %s |\n",
            fan.get("bundles"),
            fan.get("hubBundlesPerSecond"),
            fan.get("bareBundlesPerSecond"),
            pubRatio,
            met(pubRatio >= 0.7)));
    Map<String, Object> hubIng = map(ing, "hub");
    Map<String, Object> echo = map(ing, "bareEcho");
    double ingRatio = num(hubIng, "perSecond") / num(echo, "perSecond");
    sb.append(
        f(
            "| 2 | evidence ingestion, %s agents | %s msg/s, ack p50 %s ms, p99 %s ms | bare"
                + " gRPC echo: %s msg/s, p50 %s ms, p99 %s ms | %.3f× | ≥ 0.5× | %s |\n",
            hubIng.get("agents"),
            hubIng.get("perSecond"),
            map(hubIng, "ackLatency").get("p50Ms"),
            map(hubIng, "ackLatency").get("p99Ms"),
            echo.get("perSecond"),
            map(echo, "ackLatency").get("p50Ms"),
            map(echo, "ackLatency").get("p99Ms"),
            ingRatio,
            met(ingRatio >= 0.5)));
    Map<String, Object> pp = map(paced, "propagation");
    sb.append(
        f(
            "| 3 | propagation with nudges, %s connected agents (%s Targets, %s/s) | p50 %s ms,"
                + " p95 %s ms, p99 %s ms | — | — | p95 < 2 s | %s |\n",
            paced.get("connectedAgents"),
            paced.get("targets"),
            paced.get("eligiblePerSecond"),
            pp.get("p50Ms"),
            pp.get("p95Ms"),
            pp.get("p99Ms"),
            met(num(pp, "p95Ms") < 2000)));
    Map<String, Object> po = map(polled, "propagation");
    sb.append(
        f(
            "| 3 | propagation without nudges, poll every %s s (%s Targets) | p50 %s ms, p95 %s"
                + " ms, p99 %s ms | — | — | — | — |\n",
            polled.get("pollSeconds"),
            polled.get("targets"),
            po.get("p50Ms"),
            po.get("p95Ms"),
            po.get("p99Ms")));
    sb.append(
        f(
            "| 4 | agent RSS idle (chosen stack) | %s MiB | baseline build: %s | %s | ≤ 96 MiB |"
                + " %s |\n",
            after.get("rssMiB"),
            before.isEmpty() ? "not run" : before.getOrDefault("rssMiB", "—") + " MiB",
            before.isEmpty() ? "—" : f("%.2f×", num(after, "rssMiB") / num(before, "rssMiB")),
            met(num(after, "rssMiB") <= 96)));
    sb.append(
        f(
            "| 5 | hub heap after full GC, %s Clusters + %s Targets | %s MiB (`%s`) | — | — | ≤"
                + " 1 GiB at 10,000 | %s |\n\n",
            hub.get("clusters"),
            hub.get("targets"),
            hub.get("heapUsedMiBAfterFullGc"),
            hub.get("jvm"),
            met(num(hub, "heapUsedMiBAfterFullGc") <= 1024 && Boolean.TRUE.equals(hub.get("alive")))
                + (num(hub, "clusters") < 10_000 ? " at this size; 10,000 not run" : "")));
    sb.append(detailPublish(fan));
    sb.append(detailPropagation(paced, polled, fan));
    sb.append(detailAgent(before, after));
    sb.append(detailHub(hub));
    if (all.get("streams") instanceof Map<?, ?>) {
      sb.append(detailStreams(map(all, "streams"), map(all, "loadGenerator"), hub));
    }
    sb.append(Issue21Table.markdown(all));
    sb.append(Issue21Notes.text(all));
    sb.append(Notes.text(all));
    return sb.toString();
  }

  private static String detailPublish(Map<String, Object> fan) {
    return f(
        """
        ### 1. Publish fan-out

        One Promotion (one stage, all clusters, no gates) to %s Clusters, timed from its creation \
        until every Target carries its bundle (engine step, Target creation, per-cluster sequence \
        reservation, signing, push of blobs, manifest, signature and tags, Target and Cluster \
        status). Baseline: the same bundles (read back, re-signed for a sibling repository with a \
        name as long) pushed by a bare JDK `HttpClient` (POST+PUT per blob, PUT per manifest, no \
        existence checks, no read-backs) at the hub's concurrency, %s (JOSDK's reconcile pool).

        | path | seconds | bundles/s |
        |---|---|---|
        | hub (Promotion → all Targets published) | %s | %s |
        | bare HTTP push, same bytes | %s | %s |

        """,
        fan.get("bundles"),
        fan.get("concurrency"),
        fan.get("hubSeconds"),
        fan.get("hubBundlesPerSecond"),
        fan.get("bareSeconds"),
        fan.get("bareBundlesPerSecond"));
  }

  private static String detailPropagation(
      Map<String, Object> paced, Map<String, Object> polled, Map<String, Object> fan) {
    return f(
        """
        ### 3. Propagation

        From a Target becoming eligible (phase `Publishing`, as the engine writes it) to the \
        agent having merge-patched its HelmRelease on its cluster's API server. %s simulated \
        agents stay connected over mTLS (one stream each, own client certificate); each pulls \
        `desired`, verifies it with the real `BundleVerifier` and patches. Targets are made \
        eligible %s a second; the split shows where the time goes (the hub's part ends when the \
        Target shows its bundle).

        | case | p50 | p95 | p99 | max | eligible → published p50 / p95 | published → patched p50 / p95 |
        |---|---|---|---|---|---|---|
        | nudged (`BundleAvailable`) | %s | %s | %s | %s | %s / %s | %s / %s |
        | no nudges, poll every %s s | %s | %s | %s | %s | %s / %s | %s / %s |
        | whole fleet at once (the fan-out above), nudged | %s | %s | %s | %s | | |

        All in ms.

        """,
        paced.get("connectedAgents"),
        paced.get("eligiblePerSecond"),
        map(paced, "propagation").get("p50Ms"),
        map(paced, "propagation").get("p95Ms"),
        map(paced, "propagation").get("p99Ms"),
        map(paced, "propagation").get("maxMs"),
        map(paced, "eligibleToPublished").get("p50Ms"),
        map(paced, "eligibleToPublished").get("p95Ms"),
        map(paced, "publishedToPatched").get("p50Ms"),
        map(paced, "publishedToPatched").get("p95Ms"),
        polled.get("pollSeconds"),
        map(polled, "propagation").get("p50Ms"),
        map(polled, "propagation").get("p95Ms"),
        map(polled, "propagation").get("p99Ms"),
        map(polled, "propagation").get("maxMs"),
        map(polled, "eligibleToPublished").get("p50Ms"),
        map(polled, "eligibleToPublished").get("p95Ms"),
        map(polled, "publishedToPatched").get("p50Ms"),
        map(polled, "publishedToPatched").get("p95Ms"),
        map(fan, "burstPropagation").get("p50Ms"),
        map(fan, "burstPropagation").get("p95Ms"),
        map(fan, "burstPropagation").get("p99Ms"),
        map(fan, "burstPropagation").get("maxMs"));
  }

  private static String detailAgent(Map<String, Object> before, Map<String, Object> after) {
    return f(
        """
        ### 4. Agent footprint (real agent process)

        `AgentMain` in its own JVM with one converged bundle (a HelmRelease and an Argo CD \
        Application), polling the registry every %s and sending heartbeats to the real gateway \
        every %s s, idle for %s s. The baseline build (the first of \
        `-Dkapro.bench.agentBuilds`, if given) and the chosen stack (see the issue-22 section) ran side by side in this run (flags below), each \
        against its \
        own registry, API server and gateway. Bytes are counted by loopback TCP proxies (TLS \
        included) and scaled to an hour.

        | figure | baseline build | chosen stack |
        |---|---|---|
        | JVM flags | `%s` | `%s` |
        | start-up to first poll | %s ms | %s ms |
        | RSS once settled | %s MiB | %s MiB |
        | RSS after the idle period | %s MiB | %s MiB |
        | CPU during the idle period | %s s | %s s |
        | CPU total (start-up included) | %s s | %s s |
        | registry bytes per idle hour | %s | %s |
        | hub (gRPC) bytes per idle hour | %s | %s |

        """,
        after.get("pollInterval"),
        after.get("heartbeatSeconds"),
        after.get("idleSeconds"),
        before.getOrDefault("jvm", "—"),
        after.get("jvm"),
        before.getOrDefault("startupToFirstPollMs", "—"),
        after.get("startupToFirstPollMs"),
        before.getOrDefault("rssMiBSettled", "—"),
        after.get("rssMiBSettled"),
        before.getOrDefault("rssMiB", "—"),
        after.get("rssMiB"),
        before.getOrDefault("cpuSecondsIdle", "—"),
        after.get("cpuSecondsIdle"),
        before.getOrDefault("cpuSecondsTotal", "—"),
        after.get("cpuSecondsTotal"),
        before.getOrDefault("registryBytesPerHour", "—"),
        after.get("registryBytesPerHour"),
        before.getOrDefault("hubBytesPerHour", "—"),
        after.get("hubBytesPerHour"));
  }

  private static String detailHub(Map<String, Object> hub) {
    return f(
        """
        ### 5. Hub with %s Clusters and %s Targets

        `HubMain` as its own process (`%s`) against the local API server holding %s Clusters and \
        one Published Target each (populated in %s s). Start-up work = until informers synced \
        and every Cluster and Target was reconciled once (the hub's CPU fell under 5%% of a core \
        for 5 s). Heap figures are the hub process's own (`jcmd GC.heap_info`; "after a full \
        GC": after `jcmd GC.run`). The echo baseline of the stream figures below, the agent \
        footprint and the counted idle hour ran alongside the start-up: the start-up's CPU \
        seconds are the hub's own, its wall time is slowed by them.

        | figure | value |
        |---|---|
        | to "hub started" | %s s |
        | start-up work done | %s s |
        | CPU for the start-up work | %s s |
        | heap in use before / after a full GC | %s / %s MiB |
        | RSS | %s MiB |
        | CPU over %s idle seconds | %s s |
        | heap in use / RSS after the idle period | %s / %s MiB |

        """,
        hub.get("clusters"),
        hub.get("targets"),
        hub.get("jvm"),
        hub.get("clusters"),
        hub.get("populateSeconds"),
        hub.get("startedSeconds"),
        hub.get("startupWorkSeconds"),
        hub.get("startupCpuSeconds"),
        hub.get("heapUsedMiBBeforeGc"),
        hub.get("heapUsedMiBAfterFullGc"),
        hub.get("rssMiB"),
        hub.get("idleSeconds"),
        hub.get("idleCpuSeconds"),
        hub.get("heapUsedMiBAfterIdle"),
        hub.get("rssMiBAfterIdle"));
  }

  private static String detailStreams(
      Map<String, Object> st, Map<String, Object> gen, Map<String, Object> hub) {
    Map<String, Object> connect = map(st, "connect");
    Map<String, Object> idle = map(st, "idle");
    Map<String, Object> ing = map(st, "ingestion");
    return f(
        """
        ### Issue 21: the hub with %s connected agents (load generator)

        `HubMain` as its own process (`%s`) against the local API server (in the benchmark's \
        JVM, counting requests by verb and resource) holding %s Clusters (section 5: the same \
        hub, before the agents connected); %s agents from the load \
        generator in the benchmark's JVM (`LoadFleet`: one mTLS stream each through the agent's \
        transport, gRPC OkHttp on the JDK's TLS, readers on virtual threads, with its own EC key and client certificate from the hub CA, real hello, heartbeat and \
        Evidence messages). The hub's end of each stream is in its process, the agents' ends in \
        the benchmark's (one loopback stream is a file descriptor at each end; the limit is \
        20,000 per process). Hub started in %s s, its start-up work (every Cluster reconciled) \
        was done after %s s; %s client certificates issued in %s s, their TLS contexts and \
        channels built in %s s. The baseline is the same agents against a bare gRPC echo in a \
        third process.

        | figure | value |
        |---|---|
        | streams open (hub's `kapro_agents_connected`), at most %s being set up at a time | %s of %s after %s s (%s a second); API requests settled after %s s |
        | API requests for the connects | %s (%s per connect, %s writes per connect) |
        | hub heap after a full GC, before / after the %s streams | %s / %s MiB (%s KiB per stream); RSS %s MiB, %s open files |
        | load generator heap per agent (after a full GC) | %s KiB |
        | idle window, heartbeats every %s s | %s s, %s still connected, hub CPU %s s |
        | API requests while idle | %s = %s per connected cluster-hour, **%s writes per connected cluster-hour** (goal ≤ 12) |
        | evidence ingestion at %s streams, closed loop | %s acked/s; ack p50 %s ms, p99 %s ms; hub CPU %s s |
        | same agents against a bare gRPC echo (run while the hub started) | %s acked/s (hub ÷ echo: %s); every stream's first evidence acked after %s s |
        | API requests per acked message | %s (%s writes; goal: ≤ 1 write per visible change) |

        API requests by verb and resource — connects: %s; idle window: %s; ingestion: %s.

        """,
        st.get("streams"),
        st.get("hubJvm"),
        hub.get("clusters"),
        st.get("streams"),
        hub.get("startedSeconds"),
        hub.get("startupWorkSeconds"),
        gen.get("streams"),
        gen.get("certificatesSeconds"),
        gen.get("clientSetupSeconds"),
        connect.get("maxInFlight"),
        connect.get("connected"),
        connect.get("agents"),
        connect.get("seconds"),
        connect.get("perSecond"),
        connect.get("settledAfterSeconds"),
        connect.get("apiRequests"),
        connect.get("apiRequestsPerConnect"),
        connect.get("apiWritesPerConnect"),
        connect.get("agents"),
        st.get("hubHeapUsedMiBAfterFullGcBeforeStreams"),
        connect.get("hubHeapUsedMiBAfterFullGc"),
        orDash(connect.get("hubHeapKiBPerStream")),
        connect.get("hubRssMiB"),
        connect.get("hubOpenFiles"),
        orDash(gen.get("heapKiBPerAgent")),
        idle.get("heartbeatSeconds"),
        idle.get("seconds"),
        idle.get("stillConnected"),
        idle.get("hubCpuSeconds"),
        idle.get("apiRequests"),
        idle.get("apiRequestsPerClusterHour"),
        idle.get("apiWritesPerClusterHour"),
        ing.get("agents"),
        ing.get("perSecond"),
        map(ing, "ackLatency").get("p50Ms"),
        map(ing, "ackLatency").get("p99Ms"),
        ing.get("hubCpuSeconds"),
        map(st, "ingestionBareEcho").get("perSecond"),
        ing.get("ratioHubToEcho"),
        gen.get("connectAndFirstAckSeconds"),
        ing.get("apiRequestsPerAckedMessage"),
        ing.get("apiWritesPerAckedMessage"),
        counts(connect.get("apiRequestsByVerbAndResource")),
        counts(idle.get("apiRequestsByVerbAndResource")),
        counts(ing.get("apiRequestsByVerbAndResource")));
  }

  /** "get clusters 12, patch clusters/status 3, …", largest first; "none" when empty. */
  @SuppressWarnings("unchecked")
  static String counts(Object byVerb) {
    if (!(byVerb instanceof Map<?, ?> m) || m.isEmpty()) {
      return "none";
    }
    return ((Map<String, Object>) m)
        .entrySet().stream()
            .sorted(
                (a, b) ->
                    Long.compare(
                        ((Number) b.getValue()).longValue(), ((Number) a.getValue()).longValue()))
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(java.util.stream.Collectors.joining(", "));
  }

  static String orDash(Object v) {
    return v == null ? "—" : v.toString();
  }

  static String met(boolean ok) {
    return ok ? "yes" : "**no**";
  }

  static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
