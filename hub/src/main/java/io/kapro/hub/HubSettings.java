package io.kapro.hub;

import io.kapro.api.Durations;
import io.kapro.api.KaproApiException;
import io.kapro.hub.gateway.Gateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How one hub replica runs, from environment variables (the Helm chart sets them).
 *
 * @param namespace the hub's own namespace: CA and bootstrap-token Secrets, the leader lease
 * @param gatewayHost address the agent gateway binds to
 * @param gatewayPort port of the agent gateway (0 picks a free one)
 * @param gatewayDnsNames names (and IPs) in the gateway's server certificate
 * @param httpHost address of the HTTP endpoint (inbound CloudEvents, {@code /metrics})
 * @param httpPort its port (0 picks a free one)
 * @param caSecret name of the Secret holding the hub CA
 * @param leaderElection whether reconcilers run only on the elected leader
 * @param resync the longest a live run waits between two engine steps
 * @param reissueInterval how often bundles close to expiry are re-issued
 * @param evidenceImport how often evidence artifacts of disconnected clusters are imported from the
 *     Fleets' registries; empty when off (the default)
 * @param shards into how many shards the reconcilers' work is split among the replicas, each owned
 *     through a Lease ({@link io.kapro.hub.shard.ShardLeases}); 0 (the default) is no sharding: one
 *     leader (or the single replica) does all the work
 * @param shardLease how long a shard Lease lasts without renewal before another replica may take it
 *     over
 * @param gatewayMaxHandshakes TLS handshakes the gateway works on at once; connections above it are
 *     closed before their handshake and the agents retry with backoff ({@link
 *     io.kapro.hub.gateway.Gateway.Builder#maxHandshakes})
 */
public record HubSettings(
    String namespace,
    String gatewayHost,
    int gatewayPort,
    List<String> gatewayDnsNames,
    String httpHost,
    int httpPort,
    String caSecret,
    boolean leaderElection,
    Duration resync,
    Duration reissueInterval,
    Optional<Duration> evidenceImport,
    int shards,
    Duration shardLease,
    int gatewayMaxHandshakes) {

  /** Name of the lease the replicas elect their reconciler leader with. */
  public static final String LEASE_NAME = "kapro-hub-leader";

  private static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  /** How long a shard Lease lasts by default (Kubernetes leader election's default, too). */
  public static final Duration SHARD_LEASE_DEFAULT = Duration.ofSeconds(15);

  /** Prefix of the shard and membership Lease names. */
  public static final String SHARD_LEASE_PREFIX = "kapro-hub";

  /** Bounds of {@code KAPRO_GATEWAY_MAX_HANDSHAKES}. */
  public static final int MAX_HANDSHAKES_MIN = 1, MAX_HANDSHAKES_MAX = 100_000;

  public HubSettings {
    gatewayDnsNames = List.copyOf(gatewayDnsNames);
    evidenceImport = evidenceImport == null ? Optional.empty() : evidenceImport;
    shardLease = shardLease == null ? SHARD_LEASE_DEFAULT : shardLease;
    if (shards < 0) {
      throw new IllegalArgumentException("shards: " + shards + " must be 0 (off) or more");
    }
    if (gatewayMaxHandshakes < MAX_HANDSHAKES_MIN || gatewayMaxHandshakes > MAX_HANDSHAKES_MAX) {
      throw new IllegalArgumentException(
          "gatewayMaxHandshakes: "
              + gatewayMaxHandshakes
              + " must be from "
              + MAX_HANDSHAKES_MIN
              + " to "
              + MAX_HANDSHAKES_MAX);
    }
  }

  /** Settings without sharding. */
  public HubSettings(
      String namespace,
      String gatewayHost,
      int gatewayPort,
      List<String> gatewayDnsNames,
      String httpHost,
      int httpPort,
      String caSecret,
      boolean leaderElection,
      Duration resync,
      Duration reissueInterval,
      Optional<Duration> evidenceImport) {
    this(
        namespace,
        gatewayHost,
        gatewayPort,
        gatewayDnsNames,
        httpHost,
        httpPort,
        caSecret,
        leaderElection,
        resync,
        reissueInterval,
        evidenceImport,
        0,
        SHARD_LEASE_DEFAULT,
        Gateway.DEFAULT_MAX_HANDSHAKES);
  }

  /**
   * These settings with the work split into {@code shards} Lease-owned shards ({@code lease} long);
   * the JOSDK leader election is then off: the shards replace it.
   */
  public HubSettings withShards(int shards, Duration lease) {
    return new HubSettings(
        namespace,
        gatewayHost,
        gatewayPort,
        gatewayDnsNames,
        httpHost,
        httpPort,
        caSecret,
        shards > 0 ? false : leaderElection,
        resync,
        reissueInterval,
        evidenceImport,
        shards,
        lease,
        gatewayMaxHandshakes);
  }

  /** Settings without evidence import (the form before air-gap support). */
  public HubSettings(
      String namespace,
      String gatewayHost,
      int gatewayPort,
      List<String> gatewayDnsNames,
      String httpHost,
      int httpPort,
      String caSecret,
      boolean leaderElection,
      Duration resync,
      Duration reissueInterval) {
    this(
        namespace,
        gatewayHost,
        gatewayPort,
        gatewayDnsNames,
        httpHost,
        httpPort,
        caSecret,
        leaderElection,
        resync,
        reissueInterval,
        Optional.empty());
  }

  /** These settings, importing evidence artifacts every {@code interval}. */
  public HubSettings withEvidenceImport(Duration interval) {
    return new HubSettings(
        namespace,
        gatewayHost,
        gatewayPort,
        gatewayDnsNames,
        httpHost,
        httpPort,
        caSecret,
        leaderElection,
        resync,
        reissueInterval,
        Optional.of(interval),
        shards,
        shardLease,
        gatewayMaxHandshakes);
  }

  /** Settings for tests and the local demo: loopback, free port, no leader election. */
  public static HubSettings local(String namespace) {
    return new HubSettings(
        namespace,
        "127.0.0.1",
        0,
        List.of("localhost", "127.0.0.1"),
        "127.0.0.1",
        0,
        "kapro-hub-ca",
        false,
        Duration.ofSeconds(5),
        Duration.ofMinutes(1));
  }

  /**
   * Reads {@code KAPRO_NAMESPACE}, {@code KAPRO_GATEWAY_ADDRESS} and {@code KAPRO_HTTP_ADDRESS}
   * (host:port), {@code KAPRO_GATEWAY_DNS_NAMES} (comma separated), {@code KAPRO_CA_SECRET}, {@code
   * KAPRO_LEADER_ELECTION} (true|false), {@code KAPRO_RESYNC} and {@code KAPRO_REISSUE_INTERVAL}
   * (Go durations, as in a Plan: {@code 30s}, {@code 1m30s}; {@link Durations}), {@code
   * KAPRO_EVIDENCE_IMPORT_INTERVAL} (a duration turns on the import of evidence artifacts; {@code
   * off}, the default, leaves it off), {@code KAPRO_SHARDS} (a number of shards; 0, the default, is
   * no sharding), {@code KAPRO_SHARD_LEASE_DURATION} (a duration, default 15s) and {@code
   * KAPRO_GATEWAY_MAX_HANDSHAKES} (TLS handshakes the gateway works on at once, 1 to 100000,
   * default 128). Every problem is reported, not only the first.
   */
  public static HubSettings fromEnv(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    String namespace =
        Optional.ofNullable(env.get("KAPRO_NAMESPACE"))
            .or(HubSettings::serviceAccountNamespace)
            .orElse("kapro-system");
    HostPort gateway = hostPort(env, "KAPRO_GATEWAY_ADDRESS", "0.0.0.0:8443", problems);
    HostPort http = hostPort(env, "KAPRO_HTTP_ADDRESS", "0.0.0.0:8080", problems);
    List<String> dns =
        Arrays.stream(env.getOrDefault("KAPRO_GATEWAY_DNS_NAMES", "localhost").split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList();
    String leader = env.getOrDefault("KAPRO_LEADER_ELECTION", "true");
    if (!leader.equals("true") && !leader.equals("false")) {
      problems.add("KAPRO_LEADER_ELECTION: '" + leader + "' must be true or false");
    }
    Duration resync = duration(env, "KAPRO_RESYNC", "30s", problems);
    Duration reissue = duration(env, "KAPRO_REISSUE_INTERVAL", "5m", problems);
    String importRaw = env.getOrDefault("KAPRO_EVIDENCE_IMPORT_INTERVAL", "off").strip();
    Optional<Duration> evidenceImport =
        importRaw.equals("off") || importRaw.isEmpty()
            ? Optional.empty()
            : Optional.of(duration(env, "KAPRO_EVIDENCE_IMPORT_INTERVAL", "off", problems));
    int shards = 0;
    String shardsRaw = env.getOrDefault("KAPRO_SHARDS", "0").strip();
    try {
      shards = Integer.parseInt(shardsRaw);
      if (shards < 0 || shards > 1024) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      problems.add(
          "KAPRO_SHARDS: '" + shardsRaw + "' must be a number from 0 (no sharding) to 1024");
    }
    Duration shardLease = duration(env, "KAPRO_SHARD_LEASE_DURATION", "15s", problems);
    if (shardLease.toMillis() < 1000) {
      problems.add(
          "KAPRO_SHARD_LEASE_DURATION: "
              + shardLease
              + " is too short; use at least 1s (15s is usual)");
    }
    int maxHandshakes = Gateway.DEFAULT_MAX_HANDSHAKES;
    String handshakesRaw =
        env.getOrDefault("KAPRO_GATEWAY_MAX_HANDSHAKES", String.valueOf(maxHandshakes)).strip();
    try {
      maxHandshakes = Integer.parseInt(handshakesRaw);
      if (maxHandshakes < MAX_HANDSHAKES_MIN || maxHandshakes > MAX_HANDSHAKES_MAX) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      problems.add(
          "KAPRO_GATEWAY_MAX_HANDSHAKES: '"
              + handshakesRaw
              + "' must be a number from "
              + MAX_HANDSHAKES_MIN
              + " to "
              + MAX_HANDSHAKES_MAX
              + " (TLS handshakes the gateway works on at once; default "
              + Gateway.DEFAULT_MAX_HANDSHAKES
              + ")");
      maxHandshakes = Gateway.DEFAULT_MAX_HANDSHAKES;
    }
    if (shards > 0 && "true".equals(env.get("KAPRO_LEADER_ELECTION"))) {
      problems.add(
          "KAPRO_LEADER_ELECTION and KAPRO_SHARDS: shards replace leader election;"
              + " set KAPRO_LEADER_ELECTION=false with KAPRO_SHARDS > 0");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid hub settings:\n  - " + String.join("\n  - ", problems));
    }
    return new HubSettings(
        namespace,
        gateway.host(),
        gateway.port(),
        dns,
        http.host(),
        http.port(),
        env.getOrDefault("KAPRO_CA_SECRET", "kapro-hub-ca"),
        Boolean.parseBoolean(leader) && shards == 0,
        resync,
        reissue,
        evidenceImport,
        shards,
        shardLease,
        maxHandshakes);
  }

  private record HostPort(String host, int port) {}

  private static HostPort hostPort(
      Map<String, String> env, String name, String fallback, List<String> problems) {
    String address = env.getOrDefault(name, fallback);
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      problems.add(name + ": '" + address + "' is not host:port; use e.g. " + fallback);
      return new HostPort("0.0.0.0", 0);
    }
    String port = address.substring(colon + 1);
    try {
      int n = Integer.parseInt(port);
      if (n < 0 || n > 65535) {
        throw new NumberFormatException();
      }
      return new HostPort(address.substring(0, colon), n);
    } catch (NumberFormatException e) {
      problems.add(name + ": port '" + port + "' is not a number from 0 to 65535");
      return new HostPort("0.0.0.0", 0);
    }
  }

  private static Duration duration(
      Map<String, String> env, String name, String fallback, List<String> problems) {
    String raw = env.getOrDefault(name, fallback).strip();
    try {
      return Durations.parsePositive(raw);
    } catch (KaproApiException e) {
      problems.add(name + ": " + e.getMessage());
      return Duration.ofSeconds(30);
    }
  }

  private static Optional<String> serviceAccountNamespace() {
    try {
      return Files.isReadable(SERVICE_ACCOUNT_NAMESPACE)
          ? Optional.of(Files.readString(SERVICE_ACCOUNT_NAMESPACE).strip())
          : Optional.empty();
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }
}
