package io.kapro.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The faults seen by a gRPC client talking to a real Netty gRPC server through the proxy. */
class FaultProxyGrpcTest {
  static final MethodDescriptor<byte[], byte[]> ECHO =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("kapro.test.Echo/Echo")
          .setRequestMarshaller(new Raw())
          .setResponseMarshaller(new Raw())
          .build();

  Server server;
  FaultProxy proxy;
  ManagedChannel channel;

  @BeforeEach
  void start() throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                ServerServiceDefinition.builder("kapro.test.Echo")
                    .addMethod(
                        ECHO,
                        ServerCalls.asyncUnaryCall(
                            (req, out) -> {
                              out.onNext(req);
                              out.onCompleted();
                            }))
                    .build())
            .build()
            .start();
    proxy = FaultProxy.start("127.0.0.1", server.getPort());
    channel = NettyChannelBuilder.forTarget(proxy.hostAndPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    proxy.close();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  String call(String text, Duration deadline) {
    byte[] back =
        ClientCalls.blockingUnaryCall(
            channel,
            ECHO,
            CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS),
            text.getBytes(StandardCharsets.UTF_8));
    return new String(back, StandardCharsets.UTF_8);
  }

  @Test
  void passThroughAndLatency() {
    assertThat(call("hello", Duration.ofSeconds(10))).isEqualTo("hello");
    assertThat(proxy.upstreamBytes()).isPositive();
    assertThat(proxy.downstreamBytes()).isPositive();
    Duration delay = Duration.ofMillis(200);
    proxy.latency(delay);
    long start = System.nanoTime();
    assertThat(call("slow", Duration.ofSeconds(10))).isEqualTo("slow");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(delay);
  }

  @Test
  void resetFailsTheCallAndTheChannelRecovers() {
    assertThat(call("before", Duration.ofSeconds(10))).isEqualTo("before");
    proxy.reset();
    assertThatThrownBy(() -> call("during", Duration.ofSeconds(10)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    proxy.passThrough();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> call("after", Duration.ofSeconds(2)).equals("after"));
  }

  @Test
  void blackholeRunsIntoTheDeadlineAndTheChannelRecovers() {
    assertThat(call("before", Duration.ofSeconds(10))).isEqualTo("before");
    proxy.blackhole();
    assertThatThrownBy(() -> call("during", Duration.ofMillis(500)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    proxy.passThrough();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> call("after", Duration.ofSeconds(2)).equals("after"));
  }

  @Test
  void dropRefusesNewConnections() {
    proxy.drop();
    assertThatThrownBy(() -> call("dropped", Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    proxy.passThrough();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> call("after", Duration.ofSeconds(2)).equals("after"));
  }

  /** Messages as the bytes they are. */
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
