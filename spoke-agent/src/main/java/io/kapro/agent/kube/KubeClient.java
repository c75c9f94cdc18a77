package io.kapro.agent.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kapro.oci.store.BoundedBody;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The agent's Kubernetes API client: get, list (paged), create, update and JSON Patch of objects as
 * Jackson trees, over the JDK's HTTP client. Every call has a deadline ({@link #requestTimeout})
 * that covers the whole answer, every answer is bounded before it is read ({@link
 * #MAX_OBJECT_BYTES} for one object, {@link #MAX_PAGE_BYTES} for a list page of {@link
 * #PAGE_LIMIT}, {@link #SMALL_BODY} for errors), and a refusal is a {@link KubeException} naming
 * the verb, the object, the API server's message and the fix.
 */
public final class KubeClient implements AutoCloseable {
  /** Largest single object read (etcd refuses requests above 1.5 MiB by default). */
  public static final long MAX_OBJECT_BYTES = 3L * 1024 * 1024;

  /** Objects asked per list page. */
  public static final int PAGE_LIMIT = 50;

  /** Largest list page read. */
  public static final long MAX_PAGE_BYTES = 4L * 1024 * 1024;

  /** Bound for error answers (a Kubernetes Status). */
  static final long SMALL_BODY = 64 * 1024;

  /** The deadline of one call, headers and body. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** Most pages of one list (PAGE_LIMIT objects each). */
  static final int MAX_PAGES = 2_000;

  static final ObjectMapper JSON = new ObjectMapper();

  private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

  private final KubeConfig config;
  private final HttpClient http;
  private final Duration requestTimeout;

  public KubeClient(KubeConfig config) {
    this(config, DEFAULT_TIMEOUT);
  }

  public KubeClient(KubeConfig config, Duration requestTimeout) {
    this.config = config;
    this.requestTimeout = requestTimeout;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER);
    if ("https".equalsIgnoreCase(config.server().getScheme())) {
      b.sslContext(sslContext(config));
    }
    this.http = b.build();
  }

  /** The configuration this client talks with. */
  public KubeConfig config() {
    return config;
  }

  /** The deadline of each call. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** The object, or empty on 404. */
  public Optional<ObjectNode> get(ResourcePath r, String name) {
    Reply reply = send("GET", r.path(name), null, null, MAX_OBJECT_BYTES, "get", r, name);
    if (reply.status == 404) {
      return Optional.empty();
    }
    return Optional.of(object(reply, "get", r, name));
  }

  /** One list: the objects and the collection's resourceVersion. */
  public record Listing(List<ObjectNode> items, String resourceVersion) {}

  /** Every object of the collection, read page by page ({@code limit}/{@code continue}). */
  public Listing list(ResourcePath r, String fieldSelector) {
    List<ObjectNode> items = new ArrayList<>();
    String rv = list(r, fieldSelector, items::add);
    return new Listing(items, rv);
  }

  /**
   * Reads the collection page by page and hands each object to {@code each} (so only one page is
   * held); returns the list's resourceVersion. A continue token that expired mid-list (410) starts
   * the list over once, as client-go's pager does.
   */
  public String list(ResourcePath r, String fieldSelector, Consumer<ObjectNode> each) {
    for (int attempt = 0; ; attempt++) {
      List<ObjectNode> buffered = new ArrayList<>();
      try {
        String rv = pages(r, fieldSelector, attempt == 0 ? each : buffered::add);
        buffered.forEach(each);
        return rv;
      } catch (KubeException e) {
        if (e.code() != 410 || attempt > 0) {
          throw e;
        }
      }
    }
  }

  private String pages(ResourcePath r, String fieldSelector, Consumer<ObjectNode> each) {
    String cont = null;
    for (int page = 0; page < MAX_PAGES; page++) {
      StringBuilder q = new StringBuilder("?limit=").append(PAGE_LIMIT);
      if (fieldSelector != null) {
        q.append("&fieldSelector=").append(encode(fieldSelector));
      }
      if (cont != null) {
        q.append("&continue=").append(encode(cont));
      }
      Reply reply = send("GET", r.path() + q, null, null, MAX_PAGE_BYTES, "list", r, null);
      ObjectNode list = object(reply, "list", r, null);
      for (JsonNode item : list.path("items")) {
        if (item instanceof ObjectNode o) {
          each.accept(o);
        }
      }
      cont = list.path("metadata").path("continue").asText("");
      if (cont.isEmpty()) {
        return list.path("metadata").path("resourceVersion").asText("");
      }
    }
    throw new KubeException(
        0,
        "list "
            + r.describe(null)
            + ": more than "
            + MAX_PAGES * PAGE_LIMIT
            + " objects; refused (narrow the agent's allow-list)");
  }

  /** Creates the object (its namespace and name in {@code metadata}); 409 when it exists. */
  public ObjectNode create(ResourcePath r, ObjectNode obj) {
    String name = obj.path("metadata").path("name").asText();
    Reply reply =
        send(
            "POST",
            r.path(),
            obj.toString(),
            "application/json",
            MAX_OBJECT_BYTES,
            "create",
            r,
            name);
    return object(reply, "create", r, name);
  }

  /**
   * Replaces the object; its {@code metadata.resourceVersion} makes the write conditional (409
   * Conflict when the object changed since it was read).
   */
  public ObjectNode update(ResourcePath r, ObjectNode obj) {
    String name = obj.path("metadata").path("name").asText();
    Reply reply =
        send(
            "PUT",
            r.path(name),
            obj.toString(),
            "application/json",
            MAX_OBJECT_BYTES,
            "update",
            r,
            name);
    return object(reply, "update", r, name);
  }

  /** Sends RFC 6902 JSON Patch operations; returns the object as stored. */
  public ObjectNode jsonPatch(ResourcePath r, String name, ArrayNode ops) {
    Reply reply =
        send(
            "PATCH",
            r.path(name),
            ops.toString(),
            "application/json-patch+json",
            MAX_OBJECT_BYTES,
            "patch",
            r,
            name);
    return object(reply, "patch", r, name);
  }

  record Reply(int status, byte[] body) {}

  private ObjectNode object(Reply reply, String verb, ResourcePath r, String name) {
    if (reply.status < 200 || reply.status >= 300) {
      throw refused(reply.status, reply.body, verb, r.describe(name));
    }
    try {
      JsonNode n = JSON.readTree(reply.body);
      if (n instanceof ObjectNode o) {
        return o;
      }
    } catch (IOException e) {
      // reported below
    }
    throw new KubeException(
        reply.status,
        verb + " " + r.describe(name) + ": the API server's answer is not a JSON object");
  }

  /** The exception for an error answer, with the API server's Status message if it sent one. */
  static KubeException refused(int status, byte[] body, String verb, String what) {
    String message = null;
    try {
      JsonNode s = JSON.readTree(body);
      if (s != null && s.hasNonNull("message")) {
        message = s.path("message").asText();
      }
    } catch (IOException | RuntimeException e) {
      // not a Status: the code alone
    }
    if (message != null && message.length() > 1024) {
      message = message.substring(0, 1024) + "…";
    }
    return new KubeException(status, KubeException.describe(status, verb, what, message));
  }

  private Reply send(
      String method,
      String pathAndQuery,
      String body,
      String contentType,
      long maxBytes,
      String verb,
      ResourcePath r,
      String name) {
    String what = verb + " " + r.describe(name);
    HttpRequest.Builder req =
        HttpRequest.newBuilder(uri(pathAndQuery))
            .timeout(requestTimeout)
            .header("Accept", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (contentType != null) {
      req.header("Content-Type", contentType);
    }
    authorization().ifPresent(a -> req.header("Authorization", a));
    long deadline = System.nanoTime() + requestTimeout.toNanos();
    AtomicReference<BoundedBody<KubeException>> bodyRef = new AtomicReference<>();
    ScheduledFuture<?> alarm =
        DEADLINES.schedule(
            () -> {
              BoundedBody<KubeException> b = bodyRef.get();
              if (b != null) {
                b.expire(timedOut(what));
              }
            },
            requestTimeout.toNanos(),
            TimeUnit.NANOSECONDS);
    try {
      var resp =
          http.send(
              req.build(),
              info -> {
                boolean ok = info.statusCode() >= 200 && info.statusCode() < 300;
                long max = ok ? maxBytes : SMALL_BODY;
                BoundedBody<KubeException> b =
                    new BoundedBody<>(
                        max,
                        info.headers().firstValueAsLong("Content-Length").orElse(-1),
                        (size, declared) ->
                            new KubeException(
                                0,
                                what
                                    + ": the API server's answer is larger than "
                                    + max
                                    + " bytes ("
                                    + size
                                    + (declared ? " declared" : " and more")
                                    + "); refused"));
                bodyRef.set(b);
                if (System.nanoTime() - deadline >= 0) {
                  b.expire(timedOut(what));
                }
                return b;
              });
      return new Reply(resp.statusCode(), resp.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubeException(0, what + ": interrupted");
    } catch (HttpTimeoutException e) {
      throw timedOut(what);
    } catch (IOException e) {
      BoundedBody<KubeException> b = bodyRef.get();
      if (b != null && b.refusal() != null) {
        throw b.refusal();
      }
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        if (c instanceof KubeException ke) {
          throw ke;
        }
      }
      throw new KubeException(
          0,
          what
              + ": the API server "
              + config.server()
              + " did not answer ("
              + e
              + "); check that it is reachable from the agent ("
              + config.source()
              + ")",
          e);
    } finally {
      alarm.cancel(false);
    }
  }

  private KubeException timedOut(String what) {
    return new KubeException(
        0,
        what
            + ": no complete answer from the API server "
            + config.server()
            + " within "
            + requestTimeout.toMillis()
            + " ms; check the API server and the network path");
  }

  /** The {@code Authorization} header value, read fresh (rotating tokens). */
  Optional<String> authorization() {
    return config.token().get().map(t -> "Bearer " + t);
  }

  /** The absolute URI of an API path with its query. */
  URI uri(String pathAndQuery) {
    return URI.create(config.server().toString() + pathAndQuery);
  }

  HttpClient http() {
    return http;
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static SSLContext sslContext(KubeConfig config) {
    try {
      TrustManager[] trust = null;
      if (config.insecure()) {
        trust = new TrustManager[] {new InsecureTrust()};
      } else if (!config.trust().isEmpty()) {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        int i = 0;
        for (X509Certificate c : config.trust()) {
          ts.setCertificateEntry("ca-" + i++, c);
        }
        TrustManagerFactory tmf =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        trust = tmf.getTrustManagers();
      }
      javax.net.ssl.KeyManager[] keys = null;
      if (config.clientKey() != null) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = new char[0];
        ks.setKeyEntry(
            "client", config.clientKey(), pw, config.clientChain().toArray(new X509Certificate[0]));
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        keys = kmf.getKeyManagers();
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(keys, trust, null);
      return ctx;
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new KubeException(
          0, "cannot set up TLS to " + config.server() + " (" + config.source() + "): " + e, e);
    }
  }

  /** {@code insecure-skip-tls-verify: true}: any certificate, any name (as kubectl). */
  private static final class InsecureTrust extends javax.net.ssl.X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] c, String a, java.net.Socket s) {}

    @Override
    public void checkServerTrusted(X509Certificate[] c, String a, java.net.Socket s) {}

    @Override
    public void checkClientTrusted(X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) {}

    @Override
    public void checkServerTrusted(X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) {}

    @Override
    public void checkClientTrusted(X509Certificate[] c, String a) {}

    @Override
    public void checkServerTrusted(X509Certificate[] c, String a) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /** One daemon thread that cuts bodies at their deadline and runs watch timers. */
  private static ScheduledThreadPoolExecutor deadlines() {
    ScheduledThreadPoolExecutor e =
        new ScheduledThreadPoolExecutor(
            1, r -> Thread.ofPlatform().daemon().name("kapro-kube-timer").unstarted(r));
    e.setRemoveOnCancelPolicy(true);
    return e;
  }

  /** The shared timer (watch reconnects and silence checks). */
  static ScheduledThreadPoolExecutor timer() {
    return DEADLINES;
  }

  /** Aborts what is in flight (watches included) and closes the connections and threads. */
  @Override
  public void close() {
    http.shutdownNow();
  }
}
