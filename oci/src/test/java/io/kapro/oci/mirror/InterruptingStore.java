package io.kapro.oci.mirror;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.testing.ForwardingStore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A destination that lets {@code allowed} writes through and then breaks: by default every further
 * write fails as a lost connection would; with {@code onLimit} the test decides (stops the real
 * registry, say). After every write that went through, {@code afterWrite} observes the delegate, so
 * a test can check invariants at every point a reader could see.
 */
final class InterruptingStore extends ForwardingStore {
  private final int allowed;
  private final Runnable onLimit;
  private final Runnable afterWrite;
  private final AtomicInteger writes = new AtomicInteger();

  InterruptingStore(BundleStore delegate, int allowed, Runnable onLimit, Runnable afterWrite) {
    super(delegate);
    this.allowed = allowed;
    this.onLimit = onLimit;
    this.afterWrite = afterWrite;
  }

  static InterruptingStore failingAfter(BundleStore delegate, int allowed, Runnable afterWrite) {
    return new InterruptingStore(
        delegate,
        allowed,
        () -> {
          throw new OciException(
              Reason.UNREACHABLE, "injected: connection to " + delegate.location() + " lost");
        },
        afterWrite);
  }

  int writes() {
    return writes.get();
  }

  private synchronized void write(Runnable op) {
    if (writes.get() >= allowed) {
      onLimit.run();
    }
    op.run();
    writes.incrementAndGet();
    afterWrite.run();
  }

  @Override
  public void putBlob(String repository, byte[] content) {
    write(() -> delegate.putBlob(repository, content));
  }

  @Override
  public void putManifest(String repository, String reference, byte[] manifest) {
    write(() -> delegate.putManifest(repository, reference, manifest));
  }
}
