package io.kapro.oci.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP front for a real registry on 127.0.0.1 that turns hostile on demand: GETs of manifests
 * and blobs answer with a body that never ends ({@link Mode#ENDLESS}), with headers and then
 * silence ({@link Mode#STALL}), or with a redirect to the same path on another host name, {@code
 * localhost} ({@link Mode#REDIRECT}), whose server records the Authorization headers it receives
 * and forwards to the registry too. HEAD requests (tag resolution) always pass, so a client sees a
 * bundle and then chokes on it. {@link Mode#PASS} forwards everything.
 */
public final class HostileRegistry implements AutoCloseable {
  /** How GETs under {@code /v2/<repo>/(manifests|blobs)/} are answered. */
  public enum Mode {
    PASS,
    ENDLESS,
    STALL,
    REDIRECT
  }

  private final String upstream;
  private final HttpServer front;
  private final HttpServer other;
  private final ExecutorService executor =
      Executors.newCachedThreadPool(Thread.ofVirtual().factory());
  private final HttpClient client =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final List<String> otherHostAuthorizations = new CopyOnWriteArrayList<>();
  private final List<String> frontAuthorizations = new CopyOnWriteArrayList<>();
  private final AtomicLong hostileAnswers = new AtomicLong();
  private volatile Mode mode = Mode.PASS;
  private volatile String challenge;

  private HostileRegistry(String upstreamHostPort) throws IOException {
    this.upstream = "http://" + upstreamHostPort;
    this.front = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    this.other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    front.setExecutor(executor);
    other.setExecutor(executor);
    front.createContext("/", this::front);
    other.createContext(
        "/",
        ex -> {
          String a = ex.getRequestHeaders().getFirst("Authorization");
          otherHostAuthorizations.add(a == null ? "" : a);
          forward(ex);
        });
    front.start();
    other.start();
  }

  /** In front of the plain-HTTP registry at {@code upstreamHostPort}. */
  public static HostileRegistry start(String upstreamHostPort) {
    try {
      return new HostileRegistry(upstreamHostPort);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the hostile registry", e);
    }
  }

  /** {@code 127.0.0.1:port}, the registry address to configure. */
  public String hostAndPort() {
    return "127.0.0.1:" + front.getAddress().getPort();
  }

  /** The other host's address ({@code localhost:port}). */
  public String otherHostAndPort() {
    return "localhost:" + other.getAddress().getPort();
  }

  public void mode(Mode next) {
    mode = next;
  }

  /**
   * From now on {@code GET /v2/} answers 401 with this {@code WWW-Authenticate} value (a token
   * realm, say); null passes it through again.
   */
  public void challenge(String wwwAuthenticate) {
    challenge = wwwAuthenticate;
  }

  /** Authorization headers that arrived at the other host ("" when none was sent). */
  public List<String> otherHostAuthorizations() {
    return List.copyOf(otherHostAuthorizations);
  }

  /** Authorization headers that arrived at the registry's own address ("" when none). */
  public List<String> frontAuthorizations() {
    return List.copyOf(frontAuthorizations);
  }

  /** How many answers were endless, stalled or redirected. */
  public long hostileAnswers() {
    return hostileAnswers.get();
  }

  private void front(HttpExchange ex) throws IOException {
    String a = ex.getRequestHeaders().getFirst("Authorization");
    frontAuthorizations.add(a == null ? "" : a);
    String path = ex.getRequestURI().getPath();
    if (challenge != null && path.equals("/v2/")) {
      try (ex) {
        ex.getResponseHeaders().set("WWW-Authenticate", challenge);
        ex.sendResponseHeaders(401, -1);
      }
      return;
    }
    boolean content =
        ex.getRequestMethod().equals("GET")
            && (path.contains("/manifests/") || path.contains("/blobs/"));
    Mode m = mode;
    if (!content || m == Mode.PASS) {
      forward(ex);
      return;
    }
    hostileAnswers.incrementAndGet();
    switch (m) {
      case ENDLESS -> endless(ex);
      case STALL -> stall(ex);
      case REDIRECT -> {
        try (ex) {
          ex.getResponseHeaders()
              .set("Location", "http://" + otherHostAndPort() + ex.getRequestURI());
          ex.sendResponseHeaders(307, -1);
        }
      }
      default -> throw new IllegalStateException(m.toString());
    }
  }

  private void endless(HttpExchange ex) {
    try (ex) {
      ex.getResponseHeaders().set("Content-Type", "application/vnd.oci.image.manifest.v1+json");
      ex.sendResponseHeaders(200, 0); // chunked, no length
      OutputStream out = ex.getResponseBody();
      byte[] chunk = new byte[16 * 1024];
      java.util.Arrays.fill(chunk, (byte) ' ');
      while (closing.getCount() > 0) {
        out.write(chunk);
      }
    } catch (IOException e) {
      // the client gave up: what we want
    }
  }

  private void stall(HttpExchange ex) {
    try (ex) {
      ex.getResponseHeaders().set("Content-Type", "application/vnd.oci.image.manifest.v1+json");
      ex.sendResponseHeaders(200, 1024);
      ex.getResponseBody().flush();
      closing.await(10, TimeUnit.MINUTES);
    } catch (IOException e) {
      // the client gave up
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void forward(HttpExchange ex) throws IOException {
    try (ex) {
      HttpRequest.Builder req =
          HttpRequest.newBuilder(URI.create(upstream + ex.getRequestURI()))
              .timeout(Duration.ofSeconds(30));
      for (String h : List.of("Accept", "Content-Type")) {
        List<String> v = ex.getRequestHeaders().get(h);
        if (v != null) {
          v.forEach(x -> req.header(h, x));
        }
      }
      byte[] body = ex.getRequestBody().readAllBytes();
      req.method(
          ex.getRequestMethod(),
          body.length == 0
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      HttpResponse<byte[]> r = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
      r.headers()
          .map()
          .forEach(
              (k, v) -> {
                if (!k.equalsIgnoreCase("content-length")
                    && !k.equalsIgnoreCase("transfer-encoding")
                    && !k.equalsIgnoreCase("connection")
                    && !k.startsWith(":")) {
                  ex.getResponseHeaders().put(k, v);
                }
              });
      if (ex.getRequestMethod().equals("HEAD")) {
        r.headers()
            .firstValue("Content-Length")
            .ifPresent(l -> ex.getResponseHeaders().set("Content-Length", l));
        ex.sendResponseHeaders(r.statusCode(), -1);
        return;
      }
      ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
      if (r.body().length > 0) {
        ex.getResponseBody().write(r.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closing.countDown();
    front.stop(0);
    other.stop(0);
    executor.shutdownNow();
    client.close();
  }
}
