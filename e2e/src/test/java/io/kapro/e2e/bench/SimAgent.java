package io.kapro.e2e.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.kapro.agent.v1.AgentGatewayGrpc;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.Evidence;
import io.kapro.agent.v1.Hello;
import io.kapro.agent.v1.HubMessage;
import io.kapro.agent.v1.UnitEvidence;
import io.kapro.agent.v1.UnitPhase;
import io.kapro.api.testing.ApiKind;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.FieldSet;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.verify.BundleVerifier;
import io.kapro.oci.verify.VerifiedBundle;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A light agent for fleet-scale runs: one mTLS {@code Connect} stream with its own client
 * certificate ({@link SimAgentTls}); on a {@code BundleAvailable} nudge (or on its own poll when
 * nudges are ignored) it resolves {@code desired}, verifies the bundle with the real {@link
 * BundleVerifier} (signature, digests, cluster, sequence, expiry) and merge-patches its HelmRelease
 * on the spoke API server (namespace = its cluster name); then it reports evidence. Records when
 * each sequence was patched. Not the real agent (no outbox, no convergence judging): thousands fit
 * in one JVM.
 */
final class SimAgent implements AutoCloseable {
  /**
   * The readers of every simulated agent's connection (OkHttp: one blocking read per connection),
   * on virtual threads: thousands of channels in one JVM without a platform thread each.
   */
  static final Executor TRANSPORT =
      java.util.concurrent.Executors.newThreadPerTaskExecutor(
          Thread.ofVirtual().name("sim-agent-transport-", 0).factory());

  static final ResourceDefinitionContext HELM_RELEASE =
      new ResourceDefinitionContext.Builder()
          .withGroup(ApiKind.FLUX_HELM_RELEASE.group())
          .withVersion(ApiKind.FLUX_HELM_RELEASE.version())
          .withKind(ApiKind.FLUX_HELM_RELEASE.kind())
          .withPlural(ApiKind.FLUX_HELM_RELEASE.plural())
          .withNamespaced(true)
          .build();

  final String cluster;
  private final String repository;
  private final ManagedChannel channel;
  private final BundleStore store;
  private final BundleVerifier verifier;
  private final KubernetesClient spoke;
  private final Executor work;
  private StreamObserver<AgentMessage> out;
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong evidenceNumber = new AtomicLong();
  private final java.util.concurrent.ConcurrentSkipListMap<Long, Long> patchedAtNanos =
      new java.util.concurrent.ConcurrentSkipListMap<>();
  private final Map<Long, Long> sentAtNanos = new ConcurrentHashMap<>();
  final ConcurrentLinkedQueue<Long> ackLatencies = new ConcurrentLinkedQueue<>();
  private volatile boolean ignoreNudges;
  private volatile LongConsumer onAck = n -> {};
  private volatile boolean busy;
  private volatile boolean again;

  SimAgent(
      String namespace,
      String cluster,
      String repository,
      int gatewayPort,
      KeyPair keys,
      X509Certificate cert,
      List<X509Certificate> anchors,
      BundleStore store,
      BundleVerifier verifier,
      KubernetesClient spoke,
      Executor work) {
    this.cluster = cluster;
    this.repository = repository;
    this.store = store;
    this.verifier = verifier;
    this.spoke = spoke;
    this.work = work;
    this.channel = SimAgentTls.channel(gatewayPort, keys.getPrivate(), cert, anchors, TRANSPORT);
  }

  /**
   * Opens the stream and says hello. The call waits for the channel to be ready (a TLS handshake
   * that fails is retried by the channel with back-off, as a real agent reconnects).
   */
  void connect() {
    out = AgentGatewayGrpc.newStub(channel).withWaitForReady().connect(new Inbound());
    synchronized (this) {
      out.onNext(
          AgentMessage.newBuilder()
              .setHello(
                  Hello.newBuilder()
                      .setAgentVersion("0.1.0")
                      .setLastAppliedSequence(applied.get())
                      .setLastEvidenceNumber(evidenceNumber.get()))
              .build());
    }
  }

  /**
   * Runs {@code done} once, when the channel is connected (TLS and HTTP/2 set up) or has failed an
   * attempt (it will retry on its own).
   */
  void whenConnectedOrFailed(Runnable done) {
    java.util.concurrent.atomic.AtomicBoolean once =
        new java.util.concurrent.atomic.AtomicBoolean();
    watch(
        () -> {
          if (once.compareAndSet(false, true)) {
            done.run();
          }
        });
  }

  private void watch(Runnable done) {
    io.grpc.ConnectivityState s = channel.getState(false);
    switch (s) {
      case READY, TRANSIENT_FAILURE, SHUTDOWN -> done.run();
      default -> channel.notifyWhenStateChanged(s, () -> watch(done));
    }
  }

  void ignoreNudges(boolean ignore) {
    this.ignoreNudges = ignore;
  }

  /**
   * When a sequence {@code seq} or higher was first patched (System.nanoTime), else null: a
   * re-published Target (one sequence more) is applied straight at the higher sequence.
   */
  Long patchedAt(long seq) {
    return patchedAtNanos.tailMap(seq).values().stream().min(Long::compare).orElse(null);
  }

  /** Sends a heartbeat, as the agent does every heartbeat interval. */
  void heartbeat() {
    try {
      send(
          AgentMessage.newBuilder()
              .setHeartbeat(io.kapro.agent.v1.Heartbeat.getDefaultInstance())
              .build());
    } catch (RuntimeException e) {
      // stream gone
    }
  }

  long appliedSequence() {
    return applied.get();
  }

  /** Polls once (as a poll timer would): pull and apply if there is something newer. */
  void poll() {
    pullSoon();
  }

  /**
   * Sends one evidence message (the applied bundle, converged); {@code acked} runs on every ack
   * from now on. Returns its number.
   */
  long sendEvidence(LongConsumer acked) {
    if (acked != null) {
      onAck = acked;
    }
    long n = evidenceNumber.incrementAndGet();
    sentAtNanos.put(n, System.nanoTime());
    send(evidence(n, UnitPhase.UNIT_PHASE_CONVERGED, appliedDigest));
    return n;
  }

  /** Forgets ack latencies measured so far and stops reacting to acks. */
  void resetAcks() {
    onAck = n -> {};
    ackLatencies.clear();
  }

  /** The last evidence number sent (a new stream's hello carries it). */
  long lastEvidenceNumber() {
    return evidenceNumber.get();
  }

  private volatile String appliedDigest = "";

  private AgentMessage evidence(long n, UnitPhase phase, String digest) {
    return AgentMessage.newBuilder()
        .setEvidence(
            Evidence.newBuilder()
                .setNumber(n)
                .setBundleSequence(applied.get())
                .setBundleDigest(digest)
                .addUnits(
                    UnitEvidence.newBuilder()
                        .setUnit("web")
                        .setPhase(phase)
                        .setDesiredVersion(version)
                        .setObservedRevision(version)))
        .build();
  }

  private volatile String version = "";

  private synchronized void send(AgentMessage m) {
    out.onNext(m);
  }

  private void pullSoon() {
    synchronized (this) {
      if (busy) {
        again = true;
        return;
      }
      busy = true;
    }
    work.execute(this::pullLoop);
  }

  private void pullLoop() {
    while (true) {
      try {
        pullOnce();
      } catch (RuntimeException e) {
        // a failed pull is retried on the next nudge or poll, as the agent does
      }
      synchronized (this) {
        if (!again) {
          busy = false;
          return;
        }
        again = false;
      }
    }
  }

  private void pullOnce() {
    VerifiedBundle b = verifier.verify(store, repository, "desired", applied.get());
    BundleUnit unit = b.payload().units().get(0);
    Map<String, Object> patch = new LinkedHashMap<>();
    for (FieldSet f : unit.set()) {
      put(patch, f.path(), f.value());
    }
    spoke
        .genericKubernetesResources(HELM_RELEASE)
        .inNamespace(cluster)
        .withName("web")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            spoke.getKubernetesSerialization().asJson(patch));
    long seq = b.payload().sequence();
    patchedAtNanos.put(seq, System.nanoTime());
    applied.set(seq);
    appliedDigest = b.digest();
    version = unit.version();
    send(evidence(evidenceNumber.incrementAndGet(), UnitPhase.UNIT_PHASE_APPLIED, b.digest()));
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> root, String dotted, String value) {
    String[] parts = dotted.split("\\.");
    Map<String, Object> m = root;
    for (int i = 0; i < parts.length - 1; i++) {
      m = (Map<String, Object>) m.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
    }
    m.put(parts[parts.length - 1], value);
  }

  private final class Inbound implements StreamObserver<HubMessage> {
    @Override
    public void onNext(HubMessage m) {
      switch (m.getBodyCase()) {
        case BUNDLE_AVAILABLE -> {
          if (!ignoreNudges && m.getBundleAvailable().getSequence() > applied.get()) {
            pullSoon();
          }
        }
        case ACK -> {
          long upTo = m.getAck().getUpTo();
          long now = System.nanoTime();
          for (var it = sentAtNanos.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey() <= upTo) {
              ackLatencies.add(now - e.getValue());
              it.remove();
            }
          }
          onAck.accept(upTo);
        }
        default -> {}
      }
    }

    @Override
    public void onError(Throwable t) {
      // the run notices missing patches or acks; reconnects are not simulated
    }

    @Override
    public void onCompleted() {}
  }

  @Override
  public void close() {
    try {
      synchronized (this) {
        if (out != null) {
          out.onCompleted();
        }
      }
    } catch (RuntimeException e) {
      // already gone
    }
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
