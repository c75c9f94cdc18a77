package io.kapro.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.stub.StreamObserver;
import io.kapro.agent.testing.TestCa;
import io.kapro.agent.v1.AgentGatewayGrpc;
import io.kapro.agent.v1.EnrollRequest;
import io.kapro.agent.v1.EnrollResponse;
import io.kapro.agent.v1.RenewRequest;
import io.kapro.agent.v1.RenewResponse;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECParameterSpec;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's channels (gRPC OkHttp transport, JDK TLS) against the hub's transport (gRPC Netty,
 * JDK TLS) over real loopback sockets. The cases follow grpc-java's own TLS tests for the OkHttp
 * transport (grpc/grpc-java, okhttp/src/test/java/io/grpc/okhttp/TlsTest.java, commit
 * 02a104195dc3f352e761f469b119685df0b46608: mtls_succeeds, missingOptionalClientCert_succeeds,
 * missingRequiredClientCert_fails, untrustedClient_fails, untrustedServer_fails,
 * unmatchedServerSubjectAlternativeNames_fails), with the hub CA's EC certificates, plus what the
 * gateway adds: TLS 1.3 only, and deadlines.
 */
class TlsChannelsIT {
  private final TestCa ca = new TestCa();
  private final List<SSLSession> sessions = new CopyOnWriteArrayList<>();
  private Server server;
  private ManagedChannel channel;

  @AfterEach
  void tearDown() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void mutualTlsPresentsTheAgentCertificateOverTls13() throws Exception {
    int port = start(ca, ClientAuth.REQUIRE, "TLSv1.3");
    AgentCredentials agent = agent(ca);
    channel = new TlsChannels("127.0.0.1", port, null).mutual(agent);

    enroll(channel);

    assertThat(sessions).hasSize(1);
    assertThat(sessions.get(0).getProtocol()).isEqualTo("TLSv1.3");
    assertThat(((X509Certificate) sessions.get(0).getPeerCertificates()[0]).getSerialNumber())
        .isEqualTo(agent.serial());
  }

  /**
   * The key reaches TLS in memory ({@link AgentKeyManager}), not through a PKCS#12 store under a
   * password (a PBKDF2 derivation at every channel): a key that cannot be exported, as a hardware
   * key, and that such a store refuses ("not encoded as PKCS#8"), still presents the certificate.
   */
  @Test
  void theKeyReachesTlsInMemoryWithoutAKeyStore() throws Exception {
    int port = start(ca, ClientAuth.REQUIRE, "TLSv1.3");
    AgentCredentials exported = agent(ca);
    ECPrivateKey k = (ECPrivateKey) exported.key();
    AgentCredentials agent =
        new AgentCredentials(new Unexportable(k), exported.chain(), exported.trustAnchors());
    channel = new TlsChannels("127.0.0.1", port, null).mutual(agent);

    enroll(channel);

    assertThat(((X509Certificate) sessions.get(0).getPeerCertificates()[0]).getSerialNumber())
        .isEqualTo(agent.serial());
  }

  /** An EC private key without an encoding (getEncoded() is null), as a PKCS#11 key. */
  private record Unexportable(ECPrivateKey key) implements ECPrivateKey {
    @Override
    public BigInteger getS() {
      return key.getS();
    }

    @Override
    public ECParameterSpec getParams() {
      return key.getParams();
    }

    @Override
    public String getAlgorithm() {
      return "EC";
    }

    @Override
    public String getFormat() {
      return null;
    }

    @Override
    public byte[] getEncoded() {
      return null;
    }
  }

  @Test
  void bootstrapWithoutAClientCertificateWorksWhereItIsOptional() throws Exception {
    int port = start(ca, ClientAuth.OPTIONAL, "TLSv1.3");
    channel = new TlsChannels("127.0.0.1", port, null).bootstrap(List.of(ca.certificate));

    enroll(channel);

    assertThatThrownBy(() -> sessions.get(0).getPeerCertificates())
        .isInstanceOf(SSLPeerUnverifiedException.class);
  }

  @Test
  void bootstrapIsRefusedWhereAClientCertificateIsRequired() throws Exception {
    int port = start(ca, ClientAuth.REQUIRE, "TLSv1.3");
    channel = new TlsChannels("127.0.0.1", port, null).bootstrap(List.of(ca.certificate));

    assertUnavailable(channel);
  }

  @Test
  void aClientCertificateFromAnotherCaIsRefused() throws Exception {
    int port = start(ca, ClientAuth.REQUIRE, "TLSv1.3");
    TestCa.Issued other = TestCa.create("another CA").issueAgent("team-a", "edge-1");
    AgentCredentials stranger =
        new AgentCredentials(
            other.key().getPrivate(), List.of(other.certificate()), List.of(ca.certificate));
    channel = new TlsChannels("127.0.0.1", port, null).mutual(stranger);

    assertUnavailable(channel);
  }

  @Test
  void aGatewayCertificateFromAnotherCaIsRefused() throws Exception {
    TestCa other = TestCa.create("not the hub CA");
    int port = start(other, ClientAuth.OPTIONAL, "TLSv1.3");
    channel = new TlsChannels("127.0.0.1", port, null).bootstrap(List.of(ca.certificate));

    assertUnavailable(channel);
  }

  @Test
  void aGatewayCertificateForAnotherNameIsRefused() throws Exception {
    int port = start(ca, ClientAuth.OPTIONAL, "TLSv1.3");
    channel =
        new TlsChannels("127.0.0.1", port, "notgonnamatch.example.com")
            .bootstrap(List.of(ca.certificate));

    assertUnavailable(channel);
  }

  @Test
  void theAuthorityOverrideNamesTheCertificate() throws Exception {
    int port = start(ca, ClientAuth.OPTIONAL, "TLSv1.3");
    // the gateway certificate names 127.0.0.1 and localhost
    channel = new TlsChannels("127.0.0.1", port, "localhost").bootstrap(List.of(ca.certificate));

    enroll(channel);
  }

  @Test
  void aGatewayOfferingOnlyTls12IsRefused() throws Exception {
    int port = start(ca, ClientAuth.OPTIONAL, "TLSv1.2");
    channel = new TlsChannels("127.0.0.1", port, null).bootstrap(List.of(ca.certificate));

    assertUnavailable(channel);
    assertThat(sessions).isEmpty();
  }

  @Test
  void aDeadlineEndsACallTheGatewayNeverAnswers() throws Exception {
    int port = start(ca, ClientAuth.OPTIONAL, "TLSv1.3");
    channel = new TlsChannels("127.0.0.1", port, null).bootstrap(List.of(ca.certificate));

    assertThatThrownBy(
            () ->
                AgentGatewayGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                    .renew(RenewRequest.getDefaultInstance()))
        .isInstanceOf(StatusRuntimeException.class)
        .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
  }

  private static void enroll(ManagedChannel channel) {
    assertThat(
            AgentGatewayGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .enroll(EnrollRequest.getDefaultInstance())
                .getCertificateChainDerCount())
        .isZero();
  }

  private static void assertUnavailable(ManagedChannel channel) {
    assertThatThrownBy(() -> enroll(channel))
        .isInstanceOf(StatusRuntimeException.class)
        .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
        .isEqualTo(Status.Code.UNAVAILABLE);
  }

  private static AgentCredentials agent(TestCa ca) {
    TestCa.Issued issued = ca.issueAgent("team-a", "edge-1");
    return new AgentCredentials(
        issued.key().getPrivate(), List.of(issued.certificate()), List.of(ca.certificate));
  }

  /** A gateway as the hub builds it (Netty, JDK TLS), answering Enroll and never Renew. */
  private int start(TestCa serverCa, ClientAuth clientAuth, String protocol) throws Exception {
    KeyPair keys = TestCa.ec();
    X509Certificate cert = serverCa.server(keys.getPublic());
    var ssl =
        GrpcSslContexts.configure(
                SslContextBuilder.forServer(keys.getPrivate(), cert, serverCa.certificate),
                SslProvider.JDK)
            .trustManager(ca.certificate)
            .clientAuth(clientAuth)
            .protocols(protocol)
            .build();
    ServerInterceptor record =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            sessions.add(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
            return next.startCall(call, headers);
          }
        };
    AgentGatewayGrpc.AgentGatewayImplBase service =
        new AgentGatewayGrpc.AgentGatewayImplBase() {
          @Override
          public void enroll(EnrollRequest request, StreamObserver<EnrollResponse> responses) {
            responses.onNext(EnrollResponse.getDefaultInstance());
            responses.onCompleted();
          }

          @Override
          public void renew(RenewRequest request, StreamObserver<RenewResponse> responses) {
            // never answers: the caller's deadline ends the call
          }
        };
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(ssl)
            .addService(ServerInterceptors.intercept(service, record))
            .build()
            .start();
    return server.getPort();
  }
}
