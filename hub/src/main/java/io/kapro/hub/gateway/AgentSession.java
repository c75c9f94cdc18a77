package io.kapro.hub.gateway;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kapro.agent.v1.Ack;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.BundleAvailable;
import io.kapro.agent.v1.Hello;
import io.kapro.agent.v1.HubMessage;
import io.kapro.agent.v1.Settings;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.link.LinkException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's Connect stream: hello first, then evidence (handed to the coalescer, acked after the
 * durable write) and heartbeats; sends settings, acks and nudges. Sends are serialized.
 */
final class AgentSession implements StreamObserver<AgentMessage>, AckTarget {
  private static final Logger LOG = LoggerFactory.getLogger(AgentSession.class);
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private final AuthenticatedAgent agent;
  private final ServerCallStreamObserver<HubMessage> out;
  private final SessionContext ctx;
  private volatile boolean open;
  private boolean closed;
  private LinkSettings sentSettings;
  private volatile long durableAtHello;

  AgentSession(
      AuthenticatedAgent agent, ServerCallStreamObserver<HubMessage> out, SessionContext ctx) {
    this.agent = agent;
    this.out = out;
    this.ctx = ctx;
    out.setOnCancelHandler(this::released);
  }

  ClusterId cluster() {
    return agent.cluster();
  }

  AuthenticatedAgent agent() {
    return agent;
  }

  @Override
  public void onNext(AgentMessage received) {
    try {
      AgentMessage message = AgentInput.bound(received);
      switch (message.getBodyCase()) {
        case HELLO -> hello(message.getHello());
        case EVIDENCE, REJECTION -> evidence(message);
        case HEARTBEAT -> {
          requireHello();
          ctx.connectivity().seen(cluster());
        }
        case INVENTORY -> {
          requireHello();
          ctx.inventory().record(cluster(), message.getInventory());
        }
        case BODY_NOT_SET ->
            throw new LinkException(
                LinkException.Reason.INVALID_MESSAGE, "AgentMessage has no body set");
      }
    } catch (LinkException e) {
      LOG.info("closing stream of {}: {}", cluster(), e.getMessage());
      close(StatusMapping.toStatus(e));
    }
  }

  private void hello(Hello hello) {
    if (open) {
      throw new LinkException(
          LinkException.Reason.PROTOCOL_VIOLATION, "a second hello on the same stream");
    }
    ctx.versions().check(hello.getAgentVersion());
    if (!hello.getLastAppliedDigest().isEmpty()) {
      checkDigest("hello.last_applied_digest", hello.getLastAppliedDigest());
      checkBundleIsOurs("hello.last_applied_digest", hello.getLastAppliedDigest());
    }
    ClusterEntry entry =
        ctx.directory()
            .find(cluster())
            .orElseThrow(
                () ->
                    new LinkException(
                        LinkException.Reason.UNKNOWN_CLUSTER,
                        "cluster " + cluster() + " is not known to this hub"));
    durableAtHello = entry.lastEvidenceNumber();
    open = true;
    ctx.registry().register(this);
    ctx.coalescer().refresh(cluster(), hello.getLastEvidenceNumber());
    ctx.connectivity()
        .hello(
            cluster(),
            entry.settings().heartbeatInterval(),
            hello.getAgentVersion(),
            agent.certificate().getSerialNumber(),
            agent.certificate().getNotAfter().toInstant());
    sendSettings(entry.settings(), entry);
    entry
        .published()
        .filter(b -> b.sequence() > hello.getLastAppliedSequence())
        .ifPresent(b -> nudge(b.sequence(), b.digest()));
  }

  private void evidence(AgentMessage message) {
    requireHello();
    long number = EvidenceNumbers.number(message);
    if (number <= 0) {
      throw new LinkException(
          LinkException.Reason.INVALID_MESSAGE, "evidence number must be 1 or more, got 0");
    }
    if (message.hasEvidence()) {
      // Evidence is a claim about a bundle this cluster runs: only this cluster's bundles.
      String digest = message.getEvidence().getBundleDigest();
      if (!digest.isEmpty()) {
        checkDigest("evidence.bundle_digest", digest);
        checkBundleIsOurs("evidence.bundle_digest", digest);
      }
    } else {
      // A rejection reports what this agent was served and refused. In a mix-and-match attack
      // that is another cluster's (validly signed) bundle, so the digest may be foreign; it is
      // recorded only on this cluster's objects. Refusing it would leave the report in the
      // agent's outbox forever and break its link.
      String digest = message.getRejection().getBundleDigest();
      if (!digest.isEmpty()) {
        checkDigest("rejection.bundle_digest", digest);
      }
    }
    ctx.connectivity().seen(cluster());
    if (number <= durableAtHello) {
      // Resent after a reconnect, and already durable when this stream began: acked at once, not
      // queued again (a resent backlog would otherwise fill the byte budget with old items).
      ack(durableAtHello);
      return;
    }
    ctx.coalescer().submit(cluster(), this, message);
  }

  private static void checkDigest(String field, String digest) {
    if (!DIGEST.matcher(digest).matches()) {
      throw new LinkException(
          LinkException.Reason.INVALID_MESSAGE, field + " must be sha256:<64 hex>, got " + digest);
    }
  }

  private void checkBundleIsOurs(String field, String digest) {
    ctx.directory()
        .bundleOwner(digest)
        .filter(owner -> !owner.equals(cluster()))
        .ifPresent(
            owner -> {
              throw new LinkException(
                  LinkException.Reason.IDENTITY_MISMATCH,
                  field
                      + " names a bundle published for cluster "
                      + owner
                      + "; this certificate speaks for "
                      + cluster()
                      + " only");
            });
  }

  private void requireHello() {
    if (!open) {
      throw new LinkException(
          LinkException.Reason.PROTOCOL_VIOLATION, "the first message of a stream must be hello");
    }
  }

  @Override
  public void ack(long upTo) {
    send(HubMessage.newBuilder().setAck(Ack.newBuilder().setUpTo(upTo)).build());
  }

  void nudge(long sequence, String digest) {
    send(
        HubMessage.newBuilder()
            .setBundleAvailable(
                BundleAvailable.newBuilder().setSequence(sequence).setDigest(digest))
            .build());
  }

  synchronized void sendSettings(LinkSettings settings) {
    sendSettings(settings, null);
  }

  /**
   * Sends the settings; the answer to a hello ({@code hello} set) also carries the agent's floor
   * and the hub's last evidence number, so an agent whose state was lost neither goes back to an
   * older bundle nor numbers its evidence below what the hub holds.
   */
  private synchronized void sendSettings(LinkSettings settings, ClusterEntry hello) {
    if (hello == null && settings.equals(sentSettings)) {
      return;
    }
    sentSettings = settings;
    Settings.Builder b =
        Settings.newBuilder()
            .setHeartbeatIntervalSeconds((int) settings.heartbeatInterval().toSeconds())
            .setPollIntervalSeconds((int) settings.pollInterval().toSeconds());
    if (hello != null) {
      b.setMinBundleSequence(hello.acknowledgedSequence())
          .setLastEvidenceNumber(hello.lastEvidenceNumber());
    }
    send(HubMessage.newBuilder().setSettings(b).build());
  }

  private synchronized void send(HubMessage message) {
    if (closed) {
      return;
    }
    try {
      out.onNext(message);
    } catch (RuntimeException e) {
      LOG.debug("send to {} failed: {}", cluster(), e.toString());
      released();
    }
  }

  /** Ends the stream with {@code status}. */
  @Override
  public synchronized void close(Status status) {
    if (closed) {
      return;
    }
    closed = true;
    ctx.registry().unregister(this);
    try {
      out.onError(status.asRuntimeException());
    } catch (RuntimeException e) {
      LOG.debug("stream of {} already gone: {}", cluster(), e.toString());
    }
  }

  private synchronized void released() {
    closed = true;
    ctx.registry().unregister(this);
  }

  @Override
  public void onError(Throwable t) {
    LOG.debug("stream of {} ended: {}", cluster(), t.toString());
    released();
  }

  @Override
  public synchronized void onCompleted() {
    if (!closed) {
      closed = true;
      ctx.registry().unregister(this);
      out.onCompleted();
    }
  }
}
