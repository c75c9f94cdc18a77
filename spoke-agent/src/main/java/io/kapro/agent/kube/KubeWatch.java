package io.kapro.agent.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * List, then watch, one resource collection, the way client-go's reflector does: the list (paged,
 * bounded) gives the objects and a resourceVersion; the watch (with bookmarks) continues from it; a
 * watch the API server ends (its {@code timeoutSeconds}, 5 to 10 minutes) is started again from the
 * last resourceVersion seen; a 410 Gone (the resourceVersion expired) lists again; errors back off
 * (1 s doubling to 30 s, jittered). A watch silent for longer than its timeout plus a grace period
 * is dead (a half-open connection) and is replaced. Each watch message is bounded ({@link
 * #MAX_EVENT_BYTES}).
 *
 * <p>The watch runs over a WebSocket, which the API server serves for every watch (fabric8's client
 * watches the same way; the mock API server of the tests serves watches only so).
 *
 * <p>Only objects {@code keep} accepts are remembered (name → resourceVersion), so memory follows
 * the objects the caller cares about. {@code onChange} gets the name of a kept object that was
 * added, changed (its resourceVersion moved) or deleted; a re-list replays nothing unchanged.
 * {@code onFailure} gets the cause if the first list or watch is refused (e.g. 403); the watch is
 * then closed. Later failures are retried without end.
 */
public final class KubeWatch implements AutoCloseable {
  /** Largest watch event read. */
  public static final int MAX_EVENT_BYTES = (int) KubeClient.MAX_OBJECT_BYTES;

  static final Duration MIN_TIMEOUT = Duration.ofMinutes(5);
  static final Duration SILENCE_GRACE = Duration.ofSeconds(30);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(KubeWatch.class);

  /** Lists and reconnects run here, one at a time for every watch of the agent. */
  private static final ExecutorService WORK =
      Executors.newSingleThreadExecutor(
          r -> Thread.ofPlatform().daemon().name("kapro-kube-watch").unstarted(r));

  private final KubeClient client;
  private final ResourcePath resource;
  private final String fieldSelector;
  private final Predicate<String> keep;
  private final Consumer<String> onChange;
  private final Consumer<Throwable> onFailure;
  private final Map<String, String> versions = new HashMap<>();
  private final Duration timeout;

  private String resourceVersion;
  private boolean started;
  private boolean closed;
  private int failures;
  private volatile WebSocket socket;
  private long lastMessage;
  private ScheduledFuture<?> silence;
  private ScheduledFuture<?> retry;

  private KubeWatch(
      KubeClient client,
      ResourcePath resource,
      String fieldSelector,
      Predicate<String> keep,
      Consumer<String> onChange,
      Consumer<Throwable> onFailure,
      Duration timeout) {
    this.client = client;
    this.resource = resource;
    this.fieldSelector = fieldSelector;
    this.keep = keep;
    this.onChange = onChange;
    this.onFailure = onFailure;
    this.timeout = timeout;
  }

  /**
   * Starts listing and watching in the background.
   *
   * @param fieldSelector e.g. {@code metadata.name=web}, or null
   */
  public static KubeWatch start(
      KubeClient client,
      ResourcePath resource,
      String fieldSelector,
      Predicate<String> keep,
      Consumer<String> onChange,
      Consumer<Throwable> onFailure) {
    long seconds =
        MIN_TIMEOUT.toSeconds() + ThreadLocalRandom.current().nextLong(MIN_TIMEOUT.toSeconds());
    return start(
        client, resource, fieldSelector, keep, onChange, onFailure, Duration.ofSeconds(seconds));
  }

  static KubeWatch start(
      KubeClient client,
      ResourcePath resource,
      String fieldSelector,
      Predicate<String> keep,
      Consumer<String> onChange,
      Consumer<Throwable> onFailure,
      Duration timeout) {
    KubeWatch w =
        new KubeWatch(client, resource, fieldSelector, keep, onChange, onFailure, timeout);
    WORK.execute(w::relist);
    return w;
  }

  private String what() {
    return resource.describe(null) + (fieldSelector == null ? "" : " (" + fieldSelector + ")");
  }

  private void relist() {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    Map<String, String> seen = new HashMap<>();
    String rv;
    try {
      rv =
          client.list(
              resource,
              fieldSelector,
              o -> {
                String name = o.path("metadata").path("name").asText("");
                if (keep.test(name)) {
                  seen.put(name, o.path("metadata").path("resourceVersion").asText(""));
                }
              });
    } catch (RuntimeException e) {
      failed(e, true);
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      for (var e : seen.entrySet()) {
        if (!Objects.equals(versions.put(e.getKey(), e.getValue()), e.getValue())) {
          onChange.accept(e.getKey());
        }
      }
      for (String gone : new HashSet<>(versions.keySet())) {
        if (!seen.containsKey(gone)) {
          versions.remove(gone);
          onChange.accept(gone);
        }
      }
      resourceVersion = rv;
    }
    connect();
  }

  private void connect() {
    String rv;
    synchronized (this) {
      if (closed) {
        return;
      }
      rv = resourceVersion;
    }
    StringBuilder q =
        new StringBuilder("?watch=true&allowWatchBookmarks=true&timeoutSeconds=")
            .append(timeout.toSeconds());
    if (rv != null && !rv.isEmpty()) {
      q.append("&resourceVersion=").append(KubeClient.encode(rv));
    }
    if (fieldSelector != null) {
      q.append("&fieldSelector=").append(KubeClient.encode(fieldSelector));
    }
    URI http = client.uri(resource.path() + q);
    URI ws =
        URI.create(
            ("https".equalsIgnoreCase(http.getScheme()) ? "wss" : "ws")
                + http.toString().substring(http.getScheme().length()));
    WebSocket.Builder b =
        client.http().newWebSocketBuilder().connectTimeout(client.requestTimeout());
    try {
      client.authorization().ifPresent(a -> b.header("Authorization", a));
    } catch (RuntimeException e) {
      failed(e, false);
      return;
    }
    b.buildAsync(ws, new Listener())
        .whenComplete(
            (socket, e) -> {
              if (e != null) {
                failed(handshake(e), false);
              }
            });
  }

  private synchronized void connected(WebSocket s) {
    if (closed) {
      s.abort();
      return;
    }
    socket = s;
    started = true;
    lastMessage = System.nanoTime();
    long every = Math.max(100, grace().toMillis() / 2);
    silence =
        KubeClient.timer()
            .scheduleWithFixedDelay(() -> checkSilence(s), every, every, TimeUnit.MILLISECONDS);
  }

  /** How long past its timeout a watch may stay silent: 30 s, or the timeout if shorter. */
  private Duration grace() {
    return timeout.compareTo(SILENCE_GRACE) < 0 ? timeout : SILENCE_GRACE;
  }

  private synchronized void checkSilence(WebSocket s) {
    if (socket != s || closed) {
      return;
    }
    long quiet = System.nanoTime() - lastMessage;
    if (quiet > timeout.plus(grace()).toNanos()) {
      LOG.debug("watch of {} silent for {} s; starting it again", what(), quiet / 1_000_000_000L);
      dropSocket();
      schedule(this::connect, Duration.ZERO);
    }
  }

  private KubeException handshake(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && !(c instanceof WebSocketHandshakeException)) {
      c = c.getCause();
    }
    if (c instanceof WebSocketHandshakeException h) {
      int status = h.getResponse().statusCode();
      Object body = h.getResponse().body();
      byte[] bytes = body instanceof byte[] b ? b : new byte[0];
      if (bytes.length > KubeClient.SMALL_BODY) {
        bytes = new byte[0];
      }
      return KubeClient.refused(status, bytes, "watch", what());
    }
    return new KubeException(
        0,
        "watch "
            + what()
            + ": the API server "
            + client.config().server()
            + " did not answer ("
            + e
            + ")",
        e);
  }

  /** A list or watch that failed: before the first watch, the caller is told; later, retried. */
  private void failed(Throwable e, boolean listing) {
    boolean tell;
    synchronized (this) {
      if (closed) {
        return;
      }
      boolean gone = e instanceof KubeException k && k.code() == 410;
      tell = !started && !gone; // an expired resourceVersion is never the caller's problem
      if (!tell) {
        failures++;
        dropSocket();
        boolean relist = listing || gone;
        Duration delay = backoff();
        LOG.warn("{}; trying again in {} ms", e.getMessage(), delay.toMillis());
        schedule(relist ? this::relist : this::connect, delay);
      }
    }
    if (tell) {
      close();
      onFailure.accept(e);
    }
  }

  private Duration backoff() {
    long ms = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(failures - 1, 5));
    return Duration.ofMillis(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
  }

  private synchronized void schedule(Runnable task, Duration delay) {
    if (closed) {
      return;
    }
    if (retry != null) {
      retry.cancel(false);
    }
    retry =
        KubeClient.timer()
            .schedule(() -> WORK.execute(task), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void dropSocket() {
    if (silence != null) {
      silence.cancel(false);
      silence = null;
    }
    if (socket != null) {
      socket.abort();
      socket = null;
    }
  }

  /** One watch event (a JSON object {@code {type, object}}). */
  private synchronized void event(WebSocket s, String text) {
    if (socket != s || closed) {
      return;
    }
    lastMessage = System.nanoTime();
    JsonNode ev;
    try {
      ev = KubeClient.JSON.readTree(text);
    } catch (java.io.IOException e) {
      failedLater(s, new KubeException(0, "watch " + what() + ": an event is not JSON"));
      return;
    }
    String type = ev.path("type").asText("");
    JsonNode obj = ev.path("object");
    JsonNode meta = obj.path("metadata");
    String name = meta.path("name").asText("");
    String rv = meta.path("resourceVersion").asText("");
    switch (type) {
      case "ADDED", "MODIFIED" -> {
        resourceVersion = rv;
        failures = 0;
        if (keep.test(name) && !Objects.equals(versions.put(name, rv), rv)) {
          onChange.accept(name);
        }
      }
      case "DELETED" -> {
        resourceVersion = rv;
        if (versions.remove(name) != null) {
          onChange.accept(name);
        }
      }
      case "BOOKMARK" -> resourceVersion = rv;
      case "ERROR" -> {
        int code = obj.path("code").asInt(0);
        failedLater(
            s,
            new KubeException(
                code,
                KubeException.describe(code, "watch", what(), obj.path("message").asText(null))));
      }
      default ->
          failedLater(
              s, new KubeException(0, "watch " + what() + ": unknown event type '" + type + "'"));
    }
  }

  private void failedLater(WebSocket s, KubeException e) {
    if (socket == s) {
      WORK.execute(() -> failed(e, false));
    }
  }

  private synchronized void ended(WebSocket s, String why) {
    if (socket != s || closed) {
      return;
    }
    LOG.debug("watch of {} ended ({}); watching again from {}", what(), why, resourceVersion);
    dropSocket();
    schedule(this::connect, Duration.ZERO);
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();
    private boolean tooLarge;

    @Override
    public void onOpen(WebSocket ws) {
      connected(ws); // before the first message, which may come before buildAsync completes
      ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      part(ws, data, last);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      part(ws, new String(b, StandardCharsets.UTF_8), last);
      return null;
    }

    private void part(WebSocket ws, CharSequence data, boolean last) {
      if (!tooLarge) {
        if (text.length() + data.length() > MAX_EVENT_BYTES) {
          tooLarge = true;
          text.setLength(0);
          failedLater(
              ws,
              new KubeException(
                  0,
                  "watch "
                      + what()
                      + ": an event is larger than "
                      + MAX_EVENT_BYTES
                      + " bytes; refused"));
          return;
        }
        text.append(data);
      }
      if (last) {
        String event = text.toString();
        text.setLength(0);
        if (!tooLarge) {
          event(ws, event);
        }
      }
      ws.request(1);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      ended(ws, "closed " + statusCode + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      failedLater(
          ws, new KubeException(0, "watch " + what() + ": the connection failed (" + error + ")"));
    }
  }

  /** Stops the watch. */
  @Override
  public synchronized void close() {
    closed = true;
    if (retry != null) {
      retry.cancel(false);
    }
    dropSocket();
  }
}
