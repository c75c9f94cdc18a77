package io.kapro.agent.link;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.kapro.agent.evidence.Outbox;
import io.kapro.agent.v1.AgentMessage;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's link to the hub: one Connect stream at a time. On every connect it says hello,
 * re-sends its full state and every unacked outbox item; acks drop items from the outbox; nudges go
 * to the {@link HubListener}; heartbeats follow the hub's interval. When the stream ends it
 * reconnects after {@link Backoff} (exponential, full jitter), on a fresh channel.
 */
public final class HubClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HubClient.class);

  private final ChannelSource channels;
  private final Outbox outbox;
  private final AgentStateSource state;
  private final HubListener listener;
  private final HubClientOptions options;
  private final ScheduledExecutorService scheduler;
  private final Object lock = new Object();
  private HubConnection connection;
  private ScheduledFuture<?> pendingConnect;
  private boolean immediate;
  private boolean closed;
  private volatile AgentMessage inventory;

  /**
   * @param channels opens a channel per connection attempt (fresh credentials each time)
   * @param outbox the durable evidence queue
   * @param state hello facts and the full-state resync
   * @param listener nudges, settings and connection changes
   * @param options version, capabilities, backoff, clock
   */
  public HubClient(
      ChannelSource channels,
      Outbox outbox,
      AgentStateSource state,
      HubListener listener,
      HubClientOptions options) {
    this.channels = channels;
    this.outbox = outbox;
    this.state = state;
    this.listener = listener;
    this.options = options;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("kapro-hub-link").unstarted(r));
  }

  /** Connects now (and keeps reconnecting until {@link #close}). */
  public void start() {
    schedule(Duration.ZERO);
  }

  /**
   * Writes {@code unnumbered} (evidence or rejection) to the outbox, then sends it if connected.
   * Returns it as stored, numbered.
   */
  public AgentMessage report(AgentMessage unnumbered) {
    AgentMessage stored = outbox.append(unnumbered);
    flush();
    return stored;
  }

  /**
   * Sends the inventory now if connected, and after the hello of every later connection. Not queued
   * in the outbox: only the latest matters.
   */
  public void inventory(AgentMessage message) {
    inventory = message;
    HubConnection c;
    synchronized (lock) {
      c = connection;
    }
    if (c != null) {
      c.send(message);
    }
  }

  /** Sends outbox items not yet sent on the current stream (after someone appended directly). */
  public void flush() {
    HubConnection c;
    synchronized (lock) {
      c = connection;
    }
    if (c != null) {
      c.flush();
    }
  }

  /**
   * Ends the current stream and connects again at once, on a new channel (for example after the
   * credentials were renewed).
   */
  public void reconnect() {
    HubConnection c;
    synchronized (lock) {
      immediate = true;
      c = connection;
      if (c == null && pendingConnect != null) {
        pendingConnect.cancel(false);
        pendingConnect = null;
      }
    }
    if (c != null) {
      c.cancel("reconnecting with new credentials");
    } else {
      schedule(Duration.ZERO);
    }
  }

  /** True while a stream is open and the hub has accepted its hello. */
  public boolean connected() {
    synchronized (lock) {
      return connection != null && connection.accepted();
    }
  }

  private void schedule(Duration delay) {
    synchronized (lock) {
      if (closed || connection != null) {
        return;
      }
      if (pendingConnect != null && !pendingConnect.isDone()) {
        return;
      }
      pendingConnect = scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void connect() {
    HubConnection c;
    synchronized (lock) {
      pendingConnect = null;
      if (closed || connection != null) {
        return;
      }
      ManagedChannel channel;
      try {
        channel = channels.open();
      } catch (RuntimeException e) {
        Duration wait = options.backoff().next();
        LOG.warn("cannot open a channel to the hub ({}); retrying in {}", e.getMessage(), wait);
        pendingConnect = scheduler.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
        return;
      }
      c = new HubConnection(channel, outbox, state, listener, options, scheduler, this::ended);
      connection = c;
    }
    c.start();
    AgentMessage latest = inventory;
    if (latest != null) {
      c.send(latest);
    }
  }

  private void ended(HubConnection c, Status status) {
    Duration wait;
    synchronized (lock) {
      if (connection != c) {
        return;
      }
      connection = null;
      if (closed) {
        return;
      }
      wait = immediate ? Duration.ZERO : options.backoff().next();
      immediate = false;
    }
    LOG.info("hub stream ended ({}); reconnecting in {}", HubConnection.describe(status), wait);
    schedule(wait);
  }

  @Override
  public void close() {
    HubConnection c;
    synchronized (lock) {
      closed = true;
      c = connection;
      if (pendingConnect != null) {
        pendingConnect.cancel(false);
      }
    }
    if (c != null) {
      c.cancel("agent shutting down");
    }
    scheduler.shutdownNow();
  }
}
