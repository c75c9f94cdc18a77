package io.kapro.hub.gateway;

import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kapro.agent.v1.AgentGatewayGrpc;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.Evidence;
import io.kapro.agent.v1.Hello;
import io.kapro.agent.v1.HubMessage;
import io.kapro.agent.v1.UnitEvidence;
import io.kapro.agent.v1.UnitPhase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** A raw Connect stream, the way a (possibly hostile) agent drives it. */
final class TestStream implements StreamObserver<HubMessage> {
  final List<HubMessage> received = new CopyOnWriteArrayList<>();
  final AtomicReference<Status> terminal = new AtomicReference<>();
  private final Consumer<HubMessage> onMessage;
  private StreamObserver<AgentMessage> requests;

  private TestStream(Consumer<HubMessage> onMessage) {
    this.onMessage = onMessage;
  }

  static TestStream open(ManagedChannel channel) {
    return open(channel, m -> {});
  }

  static TestStream open(ManagedChannel channel, Consumer<HubMessage> onMessage) {
    TestStream s = new TestStream(onMessage);
    s.requests = AgentGatewayGrpc.newStub(channel).connect(s);
    return s;
  }

  static AgentMessage hello(String version) {
    return AgentMessage.newBuilder().setHello(Hello.newBuilder().setAgentVersion(version)).build();
  }

  static AgentMessage evidence(long number, String revision) {
    return evidence(number, revision, "");
  }

  static AgentMessage evidence(long number, String revision, String bundleDigest) {
    return AgentMessage.newBuilder()
        .setEvidence(
            Evidence.newBuilder()
                .setNumber(number)
                .setBundleSequence(1)
                .setBundleDigest(bundleDigest)
                .addUnits(
                    UnitEvidence.newBuilder()
                        .setUnit("podinfo")
                        .setPhase(UnitPhase.UNIT_PHASE_CONVERGED)
                        .setObservedRevision(revision)))
        .build();
  }

  synchronized TestStream send(AgentMessage m) {
    requests.onNext(m);
    return this;
  }

  synchronized void complete() {
    requests.onCompleted();
  }

  /** Waits for the hub to end the stream and returns its status. */
  Status awaitTermination() {
    await().atMost(Duration.ofSeconds(10)).until(() -> terminal.get() != null);
    return terminal.get();
  }

  boolean hasSettings() {
    return received.stream().anyMatch(HubMessage::hasSettings);
  }

  long highestAck() {
    return received.stream()
        .filter(HubMessage::hasAck)
        .mapToLong(m -> m.getAck().getUpTo())
        .max()
        .orElse(0);
  }

  @Override
  public void onNext(HubMessage value) {
    onMessage.accept(value);
    received.add(value);
  }

  @Override
  public void onError(Throwable t) {
    terminal.compareAndSet(null, Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    terminal.compareAndSet(null, Status.OK);
  }
}
