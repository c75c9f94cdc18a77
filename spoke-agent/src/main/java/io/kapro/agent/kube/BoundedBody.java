package io.kapro.agent.kube;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects an answer's body up to a limit: a larger declared {@code Content-Length}, or more bytes
 * sent, cancels the stream and fails with a {@link KubeException}; {@link #expire} cuts a body that
 * has not arrived whole by the call's deadline.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
  private final long max;
  private final long declared;
  private final String what;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private volatile Flow.Subscription subscription;
  private long total;
  volatile KubeException refusal;

  BoundedBody(long max, long declared, String what) {
    this.max = max;
    this.declared = declared;
    this.what = what;
  }

  void expire(KubeException why) {
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

  private KubeException tooLarge(long size) {
    return new KubeException(
        0,
        what
            + ": the API server's answer is larger than "
            + max
            + " bytes ("
            + size
            + (size == declared ? " declared" : " and more")
            + "); refused");
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (result.isDone()) {
      s.cancel();
      return;
    }
    if (declared > max) {
      refusal = tooLarge(declared);
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
        refusal = tooLarge(total);
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
