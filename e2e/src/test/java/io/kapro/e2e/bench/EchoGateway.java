package io.kapro.e2e.bench;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.stub.StreamObserver;
import io.kapro.agent.v1.Ack;
import io.kapro.agent.v1.AgentGatewayGrpc;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.HubMessage;
import io.kapro.hub.ca.HubCa;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ingestion baseline: a bare grpc-java server for the same {@code Connect} stream, same TLS 1.3
 * with client certificates from the same CA, on Netty with default settings (but the gateway's
 * keepalive allowance); it acks every evidence number as it arrives and does nothing else (no
 * authentication of the identity, no session, no durable write).
 */
final class EchoGateway implements AutoCloseable {
  private final Server server;

  EchoGateway(HubCa ca) throws IOException {
    KeyPair kp = HubCa.newKeyPair();
    X509Certificate cert =
        ca.issueServer(kp.getPublic(), List.of("localhost", "127.0.0.1"), Duration.ofDays(1));
    SslContextBuilder ssl =
        SslContextBuilder.forServer(kp.getPrivate(), cert)
            .trustManager(ca.trustAnchors())
            .clientAuth(ClientAuth.REQUIRE)
            .protocols("TLSv1.3");
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(GrpcSslContexts.configure(ssl, SslProvider.JDK).build())
            // the gateway's keepalive allowance: the agent's client pings within it (with the
            // default 5 min the server answers GOAWAY too_many_pings and drops the streams)
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .addService(new Echo())
            .build()
            .start();
  }

  int port() {
    return server.getPort();
  }

  private static final class Echo extends AgentGatewayGrpc.AgentGatewayImplBase {
    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<HubMessage> out) {
      return new StreamObserver<>() {
        @Override
        public void onNext(AgentMessage m) {
          if (m.hasEvidence()) {
            synchronized (out) {
              out.onNext(
                  HubMessage.newBuilder()
                      .setAck(Ack.newBuilder().setUpTo(m.getEvidence().getNumber()))
                      .build());
            }
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          synchronized (out) {
            out.onCompleted();
          }
        }
      };
    }
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }
}
