package io.kapro.oci.store;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The one bounded body of Kapro's JDK HTTP clients (the registry's {@link RegistryHttp}, the
 * agent's Kubernetes client): collects an answer's body up to a limit; a larger declared {@code
 * Content-Length}, or more bytes sent, cancels the stream and fails with the caller's refusal;
 * {@link #expire} cuts a body that has not arrived whole by the caller's deadline.
 *
 * @param <E> the caller's exception, which names the peer and the fix
 */
public final class BoundedBody<E extends RuntimeException>
    implements HttpResponse.BodySubscriber<byte[]> {
  /** Builds the refusal of a body over the limit: its size so far, or the size it declared. */
  @FunctionalInterface
  public interface TooLarge<E extends RuntimeException> {
    E refuse(long size, boolean declared);
  }

  private final long max;
  private final long declared;
  private final TooLarge<E> tooLarge;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private volatile Flow.Subscription subscription;
  private long total;
  private volatile E refusal;

  /**
   * @param max the most bytes read
   * @param declared the answer's {@code Content-Length}, or -1
   */
  public BoundedBody(long max, long declared, TooLarge<E> tooLarge) {
    this.max = max;
    this.declared = declared;
    this.tooLarge = tooLarge;
  }

  /** Cuts the body: it did not arrive whole before the deadline. */
  public void expire(E why) {
    synchronized (this) {
      if (result.isDone()) {
        return;
      }
      refusal = why;
    }
    result.completeExceptionally(why);
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }

  /** Why the body was cut (too large, or past the deadline), or null: say so, not "cancelled". */
  public E refusal() {
    return refusal;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (result.isDone()) {
      s.cancel(); // expired before the body began
      return;
    }
    if (declared > max) {
      refusal = tooLarge.refuse(declared, true);
      result.completeExceptionally(refusal);
      s.cancel();
      return;
    }
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      total += b.remaining();
      if (total > max) {
        refusal = tooLarge.refuse(total, false);
        result.completeExceptionally(refusal);
        subscription.cancel();
        return;
      }
      byte[] chunk = new byte[b.remaining()];
      b.get(chunk);
      out.writeBytes(chunk);
    }
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    result.complete(out.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }
}
