package io.kapro.oci.store;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Every request Kapro itself makes to a registry or token server: the whole exchange (headers and
 * body) has one deadline ({@link RegistryConfig#requestTimeout}), the body is refused as soon as it
 * passes its byte limit (before more is read), and redirects are followed here, not by the HTTP
 * client, so that credentials go only where {@link RegistryConfig#mayReceiveCredentials} allows and
 * HTTPS never turns into plain HTTP.
 */
final class RegistryHttp {
  /** Bound for answers whose body we do not use (errors, redirects, probes). */
  static final long SMALL_BODY = 64 * 1024;

  private static final int MAX_REDIRECTS = 5;

  private final RegistryConfig config;
  private final HttpClient http;

  /**
   * @param http a client that does not follow redirects itself
   */
  RegistryHttp(RegistryConfig config, HttpClient http) {
    if (http.followRedirects() != HttpClient.Redirect.NEVER) {
      throw new IllegalArgumentException("the registry HTTP client must not follow redirects");
    }
    this.config = config;
    this.http = http;
  }

  /** An answer, its body already read (at most the limit). */
  record Reply(int status, HttpHeaders headers, byte[] body, URI uri) {}

  /**
   * One request, with redirects followed.
   *
   * @param method {@code GET} or {@code HEAD}
   * @param authorization the header for the registry's own host, or null
   * @param maxBytes the most body bytes of a 2xx answer; other answers are bounded to {@link
   *     #SMALL_BODY}
   * @param what the operation, for messages
   */
  Reply send(
      String method,
      URI uri,
      Map<String, String> headers,
      String authorization,
      long maxBytes,
      String what) {
    long deadline = System.nanoTime() + config.requestTimeout().toNanos();
    URI current = uri;
    for (int hop = 0; ; hop++) {
      HttpRequest.Builder req =
          HttpRequest.newBuilder(current).method(method, HttpRequest.BodyPublishers.noBody());
      headers.forEach(req::header);
      if (authorization != null && config.mayReceiveCredentials(current)) {
        req.header("Authorization", authorization);
      }
      Reply r = exchange(req, method.equals("HEAD"), maxBytes, deadline, what);
      if (r.status() < 300 || r.status() >= 400 || r.status() == 304) {
        return r;
      }
      if (hop >= MAX_REDIRECTS) {
        throw new OciException(
            Reason.PROTOCOL_ERROR,
            where(what) + "more than " + MAX_REDIRECTS + " redirects; the registry loops");
      }
      String location =
          r.headers()
              .firstValue("Location")
              .orElseThrow(
                  () ->
                      new OciException(
                          Reason.PROTOCOL_ERROR,
                          where(what) + "redirect (HTTP " + r.status() + ") without a Location"));
      URI next;
      try {
        next = current.resolve(location);
      } catch (IllegalArgumentException e) {
        throw new OciException(
            Reason.PROTOCOL_ERROR, where(what) + "redirect to an invalid Location " + location);
      }
      if (!config.plainHttp() && !"https".equalsIgnoreCase(next.getScheme())) {
        throw new OciException(
            Reason.PROTOCOL_ERROR,
            where(what)
                + "the registry redirects to "
                + next.getScheme()
                + "://"
                + next.getHost()
                + ", which is not HTTPS; refusing to downgrade (fix the registry's redirect or"
                + " storage URL)");
      }
      current = next;
    }
  }

  private Reply exchange(
      HttpRequest.Builder req, boolean head, long maxBytes, long deadline, String what) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw timedOut(what);
    }
    HttpRequest request = req.timeout(Duration.ofNanos(left)).build();
    java.util.concurrent.atomic.AtomicReference<BoundedBody<OciException>> body =
        new java.util.concurrent.atomic.AtomicReference<>();
    // The request timeout bounds the wait for the headers; this alarm bounds the body: a registry
    // that sends headers and then stalls or trickles is cut at the same deadline. The exchange
    // runs with send(), on this thread and the client's own threads: sendAsync hands its final
    // completion to the common fork-join pool, where a caller that is itself a pool task (or a
    // saturated pool) waits out the whole deadline for an answer that has already arrived.
    java.util.concurrent.ScheduledFuture<?> alarm =
        DEADLINES.schedule(
            () -> {
              BoundedBody<OciException> b = body.get();
              if (b != null) {
                b.expire(timedOut(what));
              }
            },
            left,
            TimeUnit.NANOSECONDS);
    try {
      HttpResponse<byte[]> r =
          http.send(
              request,
              info -> {
                long max =
                    info.statusCode() >= 200 && info.statusCode() < 300 ? maxBytes : SMALL_BODY;
                long declared =
                    head ? -1 : info.headers().firstValueAsLong("Content-Length").orElse(-1);
                BoundedBody<OciException> b =
                    new BoundedBody<>(
                        max,
                        declared,
                        (size, isDeclared) ->
                            Bounded.tooLarge(
                                isDeclared ? what + " (declared " + size + ")" : what, max));
                body.set(b);
                if (System.nanoTime() - deadline >= 0) {
                  b.expire(timedOut(what)); // the alarm fired before the body began
                }
                return b;
              });
      return new Reply(r.statusCode(), r.headers(), r.body(), request.uri());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OciException(Reason.UNREACHABLE, where(what) + "interrupted");
    } catch (java.net.http.HttpTimeoutException e) {
      throw timedOut(what);
    } catch (IOException e) {
      BoundedBody<OciException> b = body.get();
      if (b != null && b.refusal() != null) {
        throw b.refusal(); // cut because too large or past the deadline; say so, not "cancelled"
      }
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        if (c instanceof OciException oe) {
          throw oe;
        }
        if (c instanceof java.net.http.HttpTimeoutException) {
          throw timedOut(what);
        }
      }
      throw RegistryErrors.translate(config, what, new UncheckedIOException(e));
    } catch (RuntimeException e) {
      throw e instanceof OciException oe ? oe : RegistryErrors.translate(config, what, e);
    } finally {
      alarm.cancel(false);
    }
  }

  /**
   * One daemon thread that cuts bodies at their deadline, shared by every registry client; it ends
   * 5 s after the last alarm was cancelled and comes back with the next request (a reader that
   * polls every 30 s keeps no thread between polls). A pending alarm keeps it.
   */
  static final java.util.concurrent.ScheduledThreadPoolExecutor DEADLINES = deadlines();

  private static java.util.concurrent.ScheduledThreadPoolExecutor deadlines() {
    java.util.concurrent.ScheduledThreadPoolExecutor e =
        new java.util.concurrent.ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "kapro-registry-deadlines");
              t.setDaemon(true);
              return t;
            });
    e.setRemoveOnCancelPolicy(true);
    e.setKeepAliveTime(5, TimeUnit.SECONDS);
    e.allowCoreThreadTimeOut(true);
    return e;
  }

  private OciException timedOut(String what) {
    return new OciException(
        Reason.UNREACHABLE,
        where(what)
            + "no complete answer within "
            + config.requestTimeout().toMillis()
            + " ms (the registry stalls or streams without end); check the registry and the"
            + " network path, or raise registry.requestTimeout");
  }

  private String where(String what) {
    return "registry " + config.baseUrl() + ": " + what + " failed: ";
  }
}
