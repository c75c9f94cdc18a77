package io.kapro.oci.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kapro.oci.OciException;
import io.kapro.oci.bundle.BundleRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.stream.Stream;

/**
 * Fuzzes the bounded readers of issue 18: the registry body subscriber ({@link BoundedBody}, under
 * every registry read) and a layout's {@code index.json}. In CI the committed corpus under {@code
 * BoundedReadersFuzzTestInputs/} runs as regression inputs; {@code JAZZER_FUZZ=1} fuzzes (see
 * docs/reliability.md).
 */
class BoundedReadersFuzzTest {

  /**
   * Input: two bytes of limit (0..4095), one byte of chunk size (1..256), one flag byte (bit 0:
   * declare the true length as Content-Length), then the body. Invariants: a body within the limit
   * arrives exactly; a longer one fails TOO_LARGE, cancels the stream, and never holds more than
   * the limit.
   */
  @FuzzTest(maxDuration = "60s")
  void registryBody(byte[] data) {
    if (data.length < 4) {
      return;
    }
    int limit = ((data[0] & 0x0f) << 8) | (data[1] & 0xff);
    int chunk = (data[2] & 0xff) + 1;
    boolean declare = (data[3] & 1) == 1;
    byte[] body = Arrays.copyOfRange(data, 4, data.length);
    BoundedBody<OciException> sub =
        new BoundedBody<>(
            limit,
            declare ? body.length : -1,
            (size, declared) -> Bounded.tooLarge("fuzzed body", limit));
    boolean[] cancelled = {false};
    sub.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {}

          @Override
          public void cancel() {
            cancelled[0] = true;
          }
        });
    for (int i = 0; i < body.length && !cancelled[0]; i += chunk) {
      List<ByteBuffer> items = new ArrayList<>();
      items.add(ByteBuffer.wrap(body, i, Math.min(chunk, body.length - i)).slice());
      sub.onNext(items);
    }
    if (!cancelled[0]) {
      sub.onComplete();
    }
    CompletableFuture<byte[]> result = sub.getBody().toCompletableFuture();
    assertThat(result).isDone();
    if (body.length <= limit) {
      assertThat(result.join()).isEqualTo(body);
      assertThat(cancelled[0]).isFalse();
    } else {
      assertThat(result).isCompletedExceptionally();
      assertThat(cancelled[0]).isTrue();
      Throwable cause = result.handle((v, t) -> t).join();
      assertThat(cause).isInstanceOf(OciException.class);
      assertThat(((OciException) cause).reason()).isEqualTo(OciException.Reason.TOO_LARGE);
    }
  }

  /**
   * Input: the bytes of a repository's {@code index.json}. Invariant: reading tags and resolving
   * {@code desired} either answers or fails with an {@link OciException} (MALFORMED for nonsense).
   */
  @FuzzTest(maxDuration = "60s")
  void layoutIndex(byte[] data) throws IOException {
    Path dir = Files.createTempDirectory("kapro-fuzz-layout");
    try {
      String repo = "kapro/team-a/fuzz";
      OciLayoutStore store = OciLayoutStore.directory(dir);
      Path repoDir = dir.resolve(repo);
      Files.createDirectories(repoDir.resolve("blobs").resolve("sha256"));
      Files.writeString(repoDir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
      Files.write(repoDir.resolve("index.json"), data);
      try {
        List<String> tags = store.listTags(repo);
        assertThat(tags).doesNotContainNull();
        store.resolve(repo, BundleRepository.DESIRED_TAG);
      } catch (OciException e) {
        assertThat(e.getMessage()).isNotBlank();
      }
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder())
            .forEach(
                p -> {
                  try {
                    Files.delete(p);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
      }
    }
  }
}
