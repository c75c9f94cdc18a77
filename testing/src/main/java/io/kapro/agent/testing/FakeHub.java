package io.kapro.agent.testing;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kapro.agent.v1.Ack;
import io.kapro.agent.v1.AgentGatewayGrpc;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.BundleAvailable;
import io.kapro.agent.v1.EnrollRequest;
import io.kapro.agent.v1.EnrollResponse;
import io.kapro.agent.v1.Hello;
import io.kapro.agent.v1.HubMessage;
import io.kapro.agent.v1.RenewRequest;
import io.kapro.agent.v1.RenewResponse;
import io.kapro.agent.v1.Settings;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A stand-in gateway for agent tests: real Netty TLS 1.3 on 127.0.0.1:0 with a test CA, the real
 * kapro.agent.v1 service. Records what the agent sends and acks evidence by number.
 */
public final class FakeHub implements AutoCloseable {
  public static final String IDENTITY = "spiffe://kapro/ns/team-a/cluster/edge-1";
  private static final Context.Key<BigInteger> SERIAL = Context.key("serial");

  public final TestCa ca;
  public final Set<String> tokens = ConcurrentHashMap.newKeySet();
  public final List<Hello> hellos = new CopyOnWriteArrayList<>();
  public final List<AgentMessage> evidence = new CopyOnWriteArrayList<>();
  public final List<BigInteger> streamSerials = new CopyOnWriteArrayList<>();
  public final AtomicInteger heartbeats = new AtomicInteger();
  public final AtomicInteger connects = new AtomicInteger();
  public volatile int heartbeatSeconds = 30;
  public volatile boolean ack = true;

  /** Sent in the answer to every hello ({@code Settings.min_bundle_sequence}). */
  public volatile long minBundleSequence;

  /** Sent in the answer to every hello ({@code Settings.last_evidence_number}). */
  public volatile long lastEvidenceNumber;

  private final Set<ServerCallStreamObserver<HubMessage>> open = ConcurrentHashMap.newKeySet();
  private final Server server;

  public FakeHub() throws Exception {
    this(0);
  }

  public FakeHub(int port) throws Exception {
    this(new TestCa(), port);
  }

  public FakeHub(TestCa ca, int port) throws Exception {
    this.ca = ca;
    KeyPair serverKeys = TestCa.ec();
    X509Certificate serverCert = ca.server(serverKeys.getPublic());
    var ssl =
        GrpcSslContexts.configure(
                SslContextBuilder.forServer(serverKeys.getPrivate(), serverCert, ca.certificate),
                SslProvider.JDK)
            .trustManager(ca.certificate)
            .clientAuth(ClientAuth.OPTIONAL)
            .protocols("TLSv1.3")
            .build();
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
            .sslContext(ssl)
            .addService(ServerInterceptors.intercept(new Service(), new SerialInterceptor()))
            .build()
            .start();
  }

  public int port() {
    return server.getPort();
  }

  /** Sends a nudge to every open stream. */
  public void nudge(long sequence, String digest) {
    HubMessage m =
        HubMessage.newBuilder()
            .setBundleAvailable(
                BundleAvailable.newBuilder().setSequence(sequence).setDigest(digest))
            .build();
    for (ServerCallStreamObserver<HubMessage> o : open) {
      synchronized (o) {
        o.onNext(m);
      }
    }
  }

  /** Kills every open stream from the server side. */
  public void killStreams() {
    for (ServerCallStreamObserver<HubMessage> o : open) {
      synchronized (o) {
        o.onError(Status.UNAVAILABLE.withDescription("killed by test").asRuntimeException());
      }
      open.remove(o);
    }
  }

  public int openStreams() {
    return open.size();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  private static final class SerialInterceptor implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
      BigInteger serial = null;
      try {
        if (session != null) {
          serial = ((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber();
        }
      } catch (SSLPeerUnverifiedException e) {
        serial = null;
      }
      return Contexts.interceptCall(
          Context.current().withValue(SERIAL, serial), call, headers, next);
    }
  }

  private final class Service extends AgentGatewayGrpc.AgentGatewayImplBase {
    @Override
    public void enroll(EnrollRequest request, StreamObserver<EnrollResponse> responses) {
      if (!tokens.remove(request.getBootstrapToken())) {
        responses.onError(
            Status.UNAUTHENTICATED
                .withDescription("bootstrap_token unknown or used")
                .asRuntimeException());
        return;
      }
      try {
        X509Certificate cert =
            ca.client(
                request.getCsrDer().toByteArray(),
                IDENTITY,
                Clock.systemUTC(),
                Duration.ofDays(30));
        responses.onNext(
            EnrollResponse.newBuilder()
                .addCertificateChainDer(ByteString.copyFrom(cert.getEncoded()))
                .addCertificateChainDer(ByteString.copyFrom(ca.certificate.getEncoded()))
                .setIdentity(IDENTITY)
                .addTrustAnchorsDer(ByteString.copyFrom(ca.certificate.getEncoded()))
                .build());
        responses.onCompleted();
      } catch (Exception e) {
        responses.onError(
            Status.INVALID_ARGUMENT.withDescription(e.toString()).asRuntimeException());
      }
    }

    @Override
    public void renew(RenewRequest request, StreamObserver<RenewResponse> responses) {
      if (SERIAL.get() == null) {
        responses.onError(
            Status.UNAUTHENTICATED.withDescription("no client certificate").asRuntimeException());
        return;
      }
      try {
        X509Certificate cert =
            ca.client(
                request.getCsrDer().toByteArray(),
                IDENTITY,
                Clock.systemUTC(),
                Duration.ofDays(30));
        responses.onNext(
            RenewResponse.newBuilder()
                .addCertificateChainDer(ByteString.copyFrom(cert.getEncoded()))
                .addCertificateChainDer(ByteString.copyFrom(ca.certificate.getEncoded()))
                .addTrustAnchorsDer(ByteString.copyFrom(ca.certificate.getEncoded()))
                .build());
        responses.onCompleted();
      } catch (Exception e) {
        responses.onError(
            Status.INVALID_ARGUMENT.withDescription(e.toString()).asRuntimeException());
      }
    }

    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<HubMessage> responses) {
      ServerCallStreamObserver<HubMessage> out = (ServerCallStreamObserver<HubMessage>) responses;
      BigInteger serial = SERIAL.get();
      if (serial == null) {
        out.onError(
            Status.UNAUTHENTICATED.withDescription("no client certificate").asRuntimeException());
        return new StreamObserver<>() {
          public void onNext(AgentMessage m) {}

          public void onError(Throwable t) {}

          public void onCompleted() {}
        };
      }
      connects.incrementAndGet();
      open.add(out);
      out.setOnCancelHandler(() -> open.remove(out));
      return new StreamObserver<>() {
        @Override
        public void onNext(AgentMessage m) {
          switch (m.getBodyCase()) {
            case HELLO -> {
              hellos.add(m.getHello());
              streamSerials.add(serial);
              send(
                  HubMessage.newBuilder()
                      .setSettings(
                          Settings.newBuilder()
                              .setHeartbeatIntervalSeconds(heartbeatSeconds)
                              .setPollIntervalSeconds(30)
                              .setMinBundleSequence(minBundleSequence)
                              .setLastEvidenceNumber(lastEvidenceNumber))
                      .build());
            }
            case EVIDENCE, REJECTION -> {
              evidence.add(m);
              long n = m.hasEvidence() ? m.getEvidence().getNumber() : m.getRejection().getNumber();
              if (ack) {
                send(HubMessage.newBuilder().setAck(Ack.newBuilder().setUpTo(n)).build());
              }
            }
            case HEARTBEAT -> heartbeats.incrementAndGet();
            default -> {}
          }
        }

        private void send(HubMessage m) {
          synchronized (out) {
            if (open.contains(out)) {
              out.onNext(m);
            }
          }
        }

        @Override
        public void onError(Throwable t) {
          open.remove(out);
        }

        @Override
        public void onCompleted() {
          open.remove(out);
          synchronized (out) {
            out.onCompleted();
          }
        }
      };
    }
  }
}
