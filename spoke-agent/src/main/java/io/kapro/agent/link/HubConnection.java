package io.kapro.agent.link;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.kapro.agent.evidence.Outbox;
import io.kapro.agent.tls.CredentialManager;
import io.kapro.agent.v1.AgentGatewayGrpc;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.Heartbeat;
import io.kapro.agent.v1.Hello;
import io.kapro.agent.v1.HubMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One Connect stream on its own channel; ends once, then reports to its {@link HubClient}. */
final class HubConnection implements ClientResponseObserver<AgentMessage, HubMessage> {
  private static final Logger LOG = LoggerFactory.getLogger(HubConnection.class);

  private final ManagedChannel channel;
  private final Outbox outbox;
  private final AgentStateSource state;
  private final HubListener listener;
  private final HubClientOptions options;
  private final ScheduledExecutorService scheduler;
  private final BiConsumer<HubConnection, Status> onEnd;
  private ClientCallStreamObserver<AgentMessage> requests;
  private ScheduledFuture<?> heartbeat;
  private Duration heartbeatInterval = Duration.ZERO;
  private long sentUpTo;
  private volatile boolean accepted;
  private boolean ended;

  HubConnection(
      ManagedChannel channel,
      Outbox outbox,
      AgentStateSource state,
      HubListener listener,
      HubClientOptions options,
      ScheduledExecutorService scheduler,
      BiConsumer<HubConnection, Status> onEnd) {
    this.channel = channel;
    this.outbox = outbox;
    this.state = state;
    this.listener = listener;
    this.options = options;
    this.scheduler = scheduler;
    this.onEnd = onEnd;
  }

  boolean accepted() {
    return accepted;
  }

  /** Opens the stream: hello, resync into the outbox, then every unacked item. */
  void start() {
    try {
      AgentGatewayGrpc.newStub(channel).connect(this);
      synchronized (this) {
        requests.onNext(
            AgentMessage.newBuilder()
                .setHello(
                    Hello.newBuilder()
                        .setAgentVersion(options.agentVersion())
                        .setLastAppliedSequence(state.lastAppliedSequence())
                        .setLastAppliedDigest(state.lastAppliedDigest())
                        .addAllCapabilities(options.capabilities())
                        .setLastEvidenceNumber(outbox.lastNumber()))
                .build());
        for (AgentMessage m : state.currentState()) {
          outbox.append(asResync(m));
        }
        scheduleHeartbeat(options.initialHeartbeat());
      }
      flush();
    } catch (RuntimeException e) {
      LOG.warn("could not open the hub stream: {}", e.toString());
      cancel("could not open the stream: " + e.getMessage());
    }
  }

  private static AgentMessage asResync(AgentMessage m) {
    if (!m.hasEvidence()) {
      return m;
    }
    return m.toBuilder().setEvidence(m.getEvidence().toBuilder().setResync(true)).build();
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
    this.requests = requestStream;
  }

  /** Sends every outbox item above what this stream already sent, in number order. */
  synchronized void flush() {
    if (ended) {
      return;
    }
    try {
      for (AgentMessage m : outbox.pending()) {
        long n = number(m);
        if (n > sentUpTo) {
          requests.onNext(m);
          sentUpTo = n;
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("stream closed while sending evidence: {}", e.toString());
    }
  }

  private static long number(AgentMessage m) {
    return m.hasEvidence() ? m.getEvidence().getNumber() : m.getRejection().getNumber();
  }

  @Override
  public void onNext(HubMessage m) {
    switch (m.getBodyCase()) {
      case ACK -> {
        try {
          outbox.ack(m.getAck().getUpTo());
        } catch (RuntimeException e) {
          LOG.warn(
              "could not drop acked evidence up to {}: {}", m.getAck().getUpTo(), e.toString());
        }
      }
      case SETTINGS -> {
        boolean first = !accepted;
        accepted = true;
        options.backoff().reset();
        continueAbove(m.getSettings().getLastEvidenceNumber());
        int seconds = m.getSettings().getHeartbeatIntervalSeconds();
        if (seconds > 0) {
          synchronized (this) {
            scheduleHeartbeat(Duration.ofSeconds(seconds));
          }
        }
        listener.onSettings(m.getSettings());
        if (first) {
          listener.onConnected();
        }
      }
      case BUNDLE_AVAILABLE ->
          listener.onBundleAvailable(
              m.getBundleAvailable().getSequence(), m.getBundleAvailable().getDigest());
      case BODY_NOT_SET -> LOG.debug("ignoring an empty message from the hub");
    }
  }

  /** The hub holds evidence above our counter (our state was lost): continue above it. */
  private void continueAbove(long hubLast) {
    try {
      if (outbox.continueAbove(hubLast)) {
        flush();
      }
    } catch (RuntimeException e) {
      LOG.error(
          "could not continue evidence numbering above the hub's {}: {}", hubLast, e.toString());
    }
  }

  private void scheduleHeartbeat(Duration interval) {
    if (ended || interval.equals(heartbeatInterval)) {
      return;
    }
    if (heartbeat != null) {
      heartbeat.cancel(false);
    }
    heartbeatInterval = interval;
    heartbeat =
        scheduler.scheduleAtFixedRate(
            this::sendHeartbeat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sends a message outside the outbox (the inventory) if the stream is open. */
  synchronized void send(AgentMessage m) {
    if (ended || requests == null) {
      return;
    }
    try {
      requests.onNext(m);
    } catch (RuntimeException e) {
      LOG.debug("not sent: {}", e.toString());
    }
  }

  private synchronized void sendHeartbeat() {
    if (ended) {
      return;
    }
    Instant now = options.clock().instant();
    try {
      requests.onNext(
          AgentMessage.newBuilder()
              .setHeartbeat(
                  Heartbeat.newBuilder()
                      .setSentAt(
                          Timestamp.newBuilder()
                              .setSeconds(now.getEpochSecond())
                              .setNanos(now.getNano()))
                      .setOutboxDepth(outbox.depth()))
              .build());
    } catch (RuntimeException e) {
      LOG.debug("heartbeat not sent: {}", e.toString());
    }
  }

  /** Ends the stream from our side. */
  void cancel(String why) {
    ClientCallStreamObserver<AgentMessage> r;
    synchronized (this) {
      r = requests;
    }
    if (r != null) {
      r.cancel(why, null);
    }
    end(Status.CANCELLED.withDescription(why));
  }

  @Override
  public void onError(Throwable t) {
    end(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    end(Status.UNAVAILABLE.withDescription("the hub closed the stream"));
  }

  private void end(Status status) {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      if (heartbeat != null) {
        heartbeat.cancel(false);
      }
    }
    channel.shutdownNow();
    if (status.getCode() != Status.Code.CANCELLED) {
      LOG.warn(
          "hub stream failed: {}{}",
          describe(status),
          CredentialManager.rootCause(status.asRuntimeException()));
    }
    listener.onDisconnected(status);
    onEnd.accept(this, status);
  }

  /**
   * A stream's end for a log line: the code and what is known of why. OkHttp ends a dropped
   * connection with UNAVAILABLE and no description; that is said in words, not as "null".
   */
  static String describe(Status status) {
    if (status.getDescription() != null) {
      return status.getCode() + " " + status.getDescription();
    }
    if (status.getCause() != null) {
      return status.getCode() + " " + status.getCause();
    }
    return status.getCode() + " (no reason given: the connection was closed or dropped)";
  }
}
