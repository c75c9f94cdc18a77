package io.kapro.hub.evidence;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kapro.agent.v1.AgentGatewayGrpc;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.Hello;
import io.kapro.agent.v1.HubMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** An agent's Connect stream as the tests drive it. */
final class AgentStream implements StreamObserver<HubMessage> {
  final List<HubMessage> received = new CopyOnWriteArrayList<>();
  final AtomicReference<Status> terminal = new AtomicReference<>();
  private final Consumer<HubMessage> onMessage;
  private StreamObserver<AgentMessage> out;

  private AgentStream(Consumer<HubMessage> onMessage) {
    this.onMessage = onMessage;
  }

  static AgentStream open(ManagedChannel channel, Consumer<HubMessage> onMessage) {
    AgentStream s = new AgentStream(onMessage);
    s.out = AgentGatewayGrpc.newStub(channel).connect(s);
    return s;
  }

  synchronized AgentStream send(AgentMessage m) {
    out.onNext(m);
    return this;
  }

  AgentStream hello() {
    return send(
        AgentMessage.newBuilder().setHello(Hello.newBuilder().setAgentVersion("0.1.0")).build());
  }

  long ackedUpTo() {
    return received.stream()
        .filter(HubMessage::hasAck)
        .mapToLong(m -> m.getAck().getUpTo())
        .max()
        .orElse(0);
  }

  boolean nudged(long sequence) {
    return received.stream()
        .anyMatch(m -> m.hasBundleAvailable() && m.getBundleAvailable().getSequence() == sequence);
  }

  @Override
  public void onNext(HubMessage m) {
    received.add(m);
    onMessage.accept(m);
  }

  @Override
  public void onError(Throwable t) {
    terminal.set(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    terminal.set(Status.OK);
  }
}
