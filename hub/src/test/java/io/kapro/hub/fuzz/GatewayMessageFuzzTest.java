package io.kapro.hub.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.kapro.agent.v1.AgentGatewayGrpc;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.Hello;
import io.kapro.agent.v1.HubMessage;
import io.kapro.hub.ca.BootstrapTokens;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.ca.HubCa;
import io.kapro.hub.ca.InMemoryCaStore;
import io.kapro.hub.ca.InMemoryTokenStore;
import io.kapro.hub.cluster.connectivity.ConnectivityTracker;
import io.kapro.hub.gateway.Gateway;
import io.kapro.hub.gateway.InMemoryClusterDirectory;
import io.kapro.hub.gateway.LatestBundle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the gateway's handling of an authenticated agent's Connect stream: messages decoded from
 * fuzzed bytes go over real mTLS to a real {@link Gateway} on 127.0.0.1, with a client certificate
 * of cluster {@code team-a/edge-a}. Another cluster, {@code team-a/edge-b}, has a published bundle.
 *
 * <p>Input: one flag byte (bit 0: send a valid hello first), then frames of a 2-byte big-endian
 * length and that many bytes; each frame that decodes as an {@code AgentMessage} is sent as its
 * original bytes. Invariants: the stream ends with OK or a status the gateway maps link errors to
 * (never UNKNOWN or INTERNAL, which an escaped exception would give), and no evidence about another
 * cluster is ever recorded.
 */
class GatewayMessageFuzzTest {
  static final ClusterId A = new ClusterId("team-a", "edge-a");
  static final ClusterId B = new ClusterId("team-a", "edge-b");
  static final String DIGEST_A = "sha256:" + "a".repeat(64);
  static final String DIGEST_B = "sha256:" + "b".repeat(64);
  static final Set<Status.Code> MAPPED =
      Set.of(
          Status.Code.OK,
          Status.Code.INVALID_ARGUMENT,
          Status.Code.FAILED_PRECONDITION,
          Status.Code.PERMISSION_DENIED,
          Status.Code.NOT_FOUND,
          Status.Code.UNAVAILABLE,
          Status.Code.RESOURCE_EXHAUSTED);
  static final MethodDescriptor<byte[], byte[]> CONNECT =
      AgentGatewayGrpc.getConnectMethod().toBuilder(new Raw(), new Raw()).build();

  private static Hub hub;

  /** The gateway and a channel to it, made once per JVM (fuzzing runs many inputs). */
  record Hub(Gateway gateway, ManagedChannel channel, GuardedSink sink) {
    static Hub start() {
      Clock clock = Clock.systemUTC();
      HubCa ca = HubCa.loadOrCreate(new InMemoryCaStore(), clock);
      InMemoryClusterDirectory directory = new InMemoryClusterDirectory().add(A).add(B);
      directory.publish(A, new LatestBundle(3, DIGEST_A));
      directory.publish(B, new LatestBundle(7, DIGEST_B));
      GuardedSink sink = new GuardedSink(A, directory);
      Gateway gateway =
          Gateway.builder()
              .ca(ca)
              .tokens(new BootstrapTokens(new InMemoryTokenStore(), clock))
              .directory(directory)
              .sink(sink)
              .connectivity(new ConnectivityTracker(clock))
              .clock(clock)
              .bind("127.0.0.1", 0)
              .start();
      KeyPair pair = HubCa.newKeyPair();
      X509Certificate leaf = ca.issueClient(A, pair.getPublic(), Duration.ofDays(1));
      try {
        SslContextBuilder ssl =
            GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
                .trustManager(ca.certificate())
                .keyManager(pair.getPrivate(), leaf, ca.certificate())
                .protocols("TLSv1.3");
        ManagedChannel channel =
            NettyChannelBuilder.forAddress("127.0.0.1", gateway.port())
                .sslContext(ssl.build())
                .build();
        return new Hub(gateway, channel, sink);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (hub != null) {
      assertThat(hub.sink().takeViolations()).isEmpty();
      hub.channel().shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      hub.gateway().close();
      hub = null;
    }
  }

  @FuzzTest(maxDuration = "60s")
  void connect(byte[] data) throws Exception {
    if (hub == null) {
      hub = Hub.start();
    }
    if (data.length == 0) {
      return;
    }
    assertThat(hub.sink().takeViolations()).isEmpty();
    hub.sink().forget();
    CompletableFuture<Status> end = new CompletableFuture<>();
    AtomicLong acked = new AtomicLong();
    ClientCall<byte[], byte[]> call =
        hub.channel().newCall(CONNECT, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
    StreamObserver<byte[]> requests =
        ClientCalls.asyncBidiStreamingCall(
            call,
            new StreamObserver<>() {
              @Override
              public void onNext(byte[] value) {
                try {
                  HubMessage m = HubMessage.parseFrom(value);
                  if (m.hasAck()) {
                    acked.accumulateAndGet(m.getAck().getUpTo(), Math::max);
                  }
                } catch (InvalidProtocolBufferException e) {
                  end.complete(
                      Status.DATA_LOSS.withDescription("hub sent bytes that do not decode"));
                }
              }

              @Override
              public void onError(Throwable t) {
                end.complete(Status.fromThrowable(t));
              }

              @Override
              public void onCompleted() {
                end.complete(Status.OK);
              }
            });
    if ((data[0] & 1) != 0) {
      requests.onNext(
          AgentMessage.newBuilder()
              .setHello(Hello.newBuilder().setAgentVersion("0.1.0"))
              .build()
              .toByteArray());
    }
    int i = 1;
    long highest = 0;
    while (i + 2 <= data.length) {
      int len = ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
      i += 2;
      int n = Math.min(len, data.length - i);
      byte[] frame = java.util.Arrays.copyOfRange(data, i, i + n);
      i += n;
      AgentMessage m = decode(frame);
      if (m != null) {
        requests.onNext(frame);
        if (m.hasEvidence() || m.hasRejection()) {
          highest = Math.max(highest, EvidenceNumber.of(m));
        }
      }
    }
    // the hub acks after the durable write: wait for it (or for the end) so the sink has seen it
    long expected = highest;
    await()
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(1))
        .atMost(Duration.ofSeconds(20))
        .until(() -> end.isDone() || expected == 0 || acked.get() >= expected);
    requests.onCompleted();
    Status status = end.get(30, TimeUnit.SECONDS);
    assertThat(status.getCode()).as("stream ended with %s", status).isIn(MAPPED);
    assertThat(hub.sink().takeViolations()).isEmpty();
  }

  private static AgentMessage decode(byte[] frame) {
    try {
      return AgentMessage.parseFrom(frame);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  /** The number of an evidence or rejection message. */
  static final class EvidenceNumber {
    private EvidenceNumber() {}

    static long of(AgentMessage m) {
      return m.hasEvidence() ? m.getEvidence().getNumber() : m.getRejection().getNumber();
    }
  }

  /** Sends and receives messages as the bytes they are. */
  static final class Raw implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
