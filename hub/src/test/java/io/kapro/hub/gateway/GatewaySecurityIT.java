package io.kapro.hub.gateway;

import static io.kapro.hub.gateway.GatewayFixture.A;
import static io.kapro.hub.gateway.GatewayFixture.B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kapro.agent.testing.MutableClock;
import io.kapro.agent.v1.AgentGatewayGrpc;
import io.kapro.agent.v1.EnrollRequest;
import io.kapro.agent.v1.EnrollResponse;
import io.kapro.agent.v1.RenewRequest;
import io.kapro.agent.v1.RenewResponse;
import io.kapro.hub.ca.BootstrapTokens;
import io.kapro.hub.ca.ClusterId;
import io.kapro.hub.ca.HubCa;
import io.kapro.hub.ca.TestKeys;
import io.kapro.hub.gateway.GatewayFixture.Credentials;
import java.io.ByteArrayInputStream;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every refusal over real mTLS sockets: the right status code, and nothing written. */
class GatewaySecurityIT {
  private static final String DIGEST_B = "sha256:" + "b".repeat(64);
  private final GatewayFixture hub = new GatewayFixture();

  @AfterEach
  void close() throws Exception {
    hub.close();
  }

  /** Opens a stream, says hello, sends one evidence item and returns how the hub ended it. */
  private Status connectAndSend(ManagedChannel channel) {
    TestStream s = TestStream.open(channel);
    s.send(TestStream.hello("0.1.0")).send(TestStream.evidence(1, "6.5.1"));
    return s.awaitTermination();
  }

  private void assertNothingWritten() {
    assertThat(hub.sink.writes()).isZero();
    assertThat(hub.sink.applied()).isEmpty();
  }

  @Test
  void noClientCertificateIsUnauthenticated() {
    Status status = connectAndSend(hub.channel(null));
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(status.getDescription()).contains("client certificate");
    assertNothingWritten();
  }

  @Test
  void certificateFromAnotherCaIsUnauthenticated() {
    HubCa other = HubCa.of(HubCa.generate(hub.clock), hub.clock);
    Status status = connectAndSend(hub.channel(hub.credentialsFrom(other, A)));
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(status.getDescription()).contains("not issued by this hub's CA");
    assertNothingWritten();
  }

  @Test
  void expiredCertificateIsUnauthenticated() {
    MutableClock past = new MutableClock(Instant.now().minus(Duration.ofDays(40)));
    HubCa sameCaInThePast = HubCa.of(hub.caMaterial(), past);
    Status status = connectAndSend(hub.channel(hub.credentialsFrom(sameCaInThePast, A)));
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(status.getDescription()).contains("valid from");
    assertNothingWritten();
  }

  @Test
  void revokedCertificateIsRefusedAndItsOpenStreamClosed() {
    Credentials creds = hub.credentialsFor(A);
    TestStream open = TestStream.open(hub.channel(creds)).send(TestStream.hello("0.1.0"));
    await().until(open::hasSettings);

    hub.directory.revoke(A, creds.leaf().getSerialNumber());

    Status closed = open.awaitTermination();
    assertThat(closed.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(closed.getDescription()).contains("revoked");
    Status again = connectAndSend(hub.channel(creds));
    assertThat(again.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(again.getDescription()).contains("revoked");
    assertThatThrownBy(
            () ->
                AgentGatewayGrpc.newBlockingStub(hub.channel(creds))
                    .renew(
                        RenewRequest.newBuilder()
                            .setCsrDer(ByteString.copyFrom(TestKeys.csr(TestKeys.ec())))
                            .build()))
        .isInstanceOf(StatusRuntimeException.class)
        .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertNothingWritten();
    assertThat(hub.gateway.openStreams(A)).isZero();
  }

  @Test
  void anOpenStreamIsClosedWhenItsCertificateExpires() {
    Credentials creds = hub.credentialsFor(A);
    TestStream open = TestStream.open(hub.channel(creds)).send(TestStream.hello("0.1.0"));
    await().until(open::hasSettings);
    hub.clock.advance(Duration.ofDays(31));
    Status closed = open.awaitTermination();
    assertThat(closed.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(closed.getDescription()).contains("expired");
  }

  @Test
  void clusterASpeakingForBIsPermissionDenied() {
    hub.directory.publish(B, new LatestBundle(3, DIGEST_B));
    Credentials a = hub.credentialsFor(A);

    TestStream hello = TestStream.open(hub.channel(a));
    hello.send(
        io.kapro.agent.v1.AgentMessage.newBuilder()
            .setHello(
                io.kapro.agent.v1.Hello.newBuilder()
                    .setAgentVersion("0.1.0")
                    .setLastAppliedSequence(3)
                    .setLastAppliedDigest(DIGEST_B))
            .build());
    Status helloStatus = hello.awaitTermination();
    assertThat(helloStatus.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(helloStatus.getDescription()).contains("edge-b").contains("edge-a");

    TestStream evidence = TestStream.open(hub.channel(a));
    evidence.send(TestStream.hello("0.1.0")).send(TestStream.evidence(1, "6.5.1", DIGEST_B));
    Status evidenceStatus = evidence.awaitTermination();
    assertThat(evidenceStatus.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertNothingWritten();
  }

  @Test
  void aRejectionOfAnotherClustersBundleIsAckedForTheCallerOnly() {
    // Mix-and-match: A's agent was served B's valid bundle and refused it (WRONG_CLUSTER). The
    // report names B's digest; it must be recorded for A and acked, or it would sit in A's
    // outbox forever.
    hub.directory.publish(B, new LatestBundle(3, DIGEST_B));
    TestStream s = TestStream.open(hub.channel(hub.credentialsFor(A)));
    s.send(TestStream.hello("0.1.0"))
        .send(
            io.kapro.agent.v1.AgentMessage.newBuilder()
                .setRejection(
                    io.kapro.agent.v1.BundleRejection.newBuilder()
                        .setNumber(1)
                        .setBundleDigest(DIGEST_B)
                        .setBundleSequence(3)
                        .setReason(io.kapro.agent.v1.RejectionReason.REJECTION_REASON_WRONG_CLUSTER)
                        .setDetail("bundle is for team-a/edge-b"))
                .build());
    await().until(() -> s.highestAck() == 1);
    assertThat(hub.sink.applied()).containsExactly(1L);
  }

  @Test
  void unknownClusterIsNotFound() {
    Status status =
        connectAndSend(hub.channel(hub.credentialsFor(new ClusterId("team-a", "nobody"))));
    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertNothingWritten();
  }

  @Test
  void unsupportedAgentVersionNamesTheRange() {
    TestStream s = TestStream.open(hub.channel(hub.credentialsFor(A)));
    s.send(TestStream.hello("2.0.0")).send(TestStream.evidence(1, "x"));
    Status status = s.awaitTermination();
    assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(status.getDescription()).contains(">=0.1.0 <1.0.0");
    assertNothingWritten();
  }

  @Test
  void protocolViolationsCloseTheStream() {
    Credentials a = hub.credentialsFor(A);
    TestStream noHello = TestStream.open(hub.channel(a)).send(TestStream.evidence(1, "x"));
    assertThat(noHello.awaitTermination().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    TestStream twice =
        TestStream.open(hub.channel(a))
            .send(TestStream.hello("0.1.0"))
            .send(TestStream.hello("0.1.0"));
    assertThat(twice.awaitTermination().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    TestStream zero =
        TestStream.open(hub.channel(a))
            .send(TestStream.hello("0.1.0"))
            .send(TestStream.evidence(0, "x"));
    assertThat(zero.awaitTermination().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    TestStream badDigest =
        TestStream.open(hub.channel(a))
            .send(TestStream.hello("0.1.0"))
            .send(TestStream.evidence(1, "x", "md5:abc"));
    assertThat(badDigest.awaitTermination().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    TestStream empty =
        TestStream.open(hub.channel(a))
            .send(TestStream.hello("0.1.0"))
            .send(io.kapro.agent.v1.AgentMessage.getDefaultInstance());
    assertThat(empty.awaitTermination().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertNothingWritten();
  }

  @Test
  void oneIdentityHoldsAtMostAFewStreamsAndAMessageOver64KiBIsRefused() {
    Credentials a = hub.credentialsFor(A);
    java.util.List<TestStream> open = new java.util.ArrayList<>();
    for (int i = 0; i < SessionRegistry.MAX_STREAMS_PER_CLUSTER; i++) {
      TestStream s = TestStream.open(hub.channel(a)).send(TestStream.hello("0.1.0"));
      await().atMost(Duration.ofSeconds(10)).until(s::hasSettings);
      open.add(s);
    }
    TestStream extra = TestStream.open(hub.channel(a)).send(TestStream.hello("0.1.0"));
    Status refused = extra.awaitTermination();
    assertThat(refused.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(refused.getDescription()).contains("open streams");

    io.kapro.agent.v1.AgentMessage big =
        TestStream.evidence(1, "x".repeat(Gateway.MAX_MESSAGE_BYTES + 1));
    TestStream huge = open.get(0).send(big);
    // the server refuses it with RESOURCE_EXHAUSTED; grpc-java's client may only see the reset
    assertThat(huge.awaitTermination().getCode())
        .isIn(Status.Code.RESOURCE_EXHAUSTED, Status.Code.CANCELLED);
    assertNothingWritten();
  }

  @Test
  void tls12IsRefusedAtTheHandshake() throws Exception {
    io.grpc.netty.shaded.io.netty.handler.ssl.SslContext tls12 =
        io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts.configure(
                io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder.forClient(),
                io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider.JDK)
            .trustManager(hub.ca.certificate())
            .protocols("TLSv1.2")
            .build();
    ManagedChannel channel =
        io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress(
                "127.0.0.1", hub.gateway.port())
            .sslContext(tls12)
            .build();
    try {
      assertThatThrownBy(
              () ->
                  AgentGatewayGrpc.newBlockingStub(channel)
                      .enroll(enroll(hub.tokens.issue(A, Duration.ofMinutes(5)), TestKeys.ec())))
          .isInstanceOf(StatusRuntimeException.class)
          .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
          .isEqualTo(Status.Code.UNAVAILABLE);
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void oversizedMessagesAreRefused() {
    TestStream s = TestStream.open(hub.channel(hub.credentialsFor(A)));
    s.send(
        io.kapro.agent.v1.AgentMessage.newBuilder()
            .setHello(
                io.kapro.agent.v1.Hello.newBuilder()
                    .setAgentVersion("0.1.0")
                    .addCapabilities("x".repeat(2 * 1024 * 1024)))
            .build());
    assertThat(s.awaitTermination().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(hub.gateway.openStreams(A)).isZero();
  }

  @Test
  void bootstrapTokenReusedIsUnauthenticated() throws Exception {
    String token = hub.tokens.issue(A, BootstrapTokens.DEFAULT_TTL);
    AgentGatewayGrpc.AgentGatewayBlockingStub anonymous =
        AgentGatewayGrpc.newBlockingStub(hub.channel(null));
    anonymous.enroll(enroll(token, TestKeys.ec()));

    assertThatThrownBy(() -> anonymous.enroll(enroll(token, TestKeys.ec())))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(
            e -> {
              Status s = ((StatusRuntimeException) e).getStatus();
              assertThat(s.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(s.getDescription()).contains("already used");
            });
    assertNothingWritten();
  }

  @Test
  void bootstrapTokenExpiredIsUnauthenticatedAndStaysUnused() throws Exception {
    String token = hub.tokens.issue(A, Duration.ofHours(1));
    hub.clock.advance(Duration.ofHours(1).plusSeconds(1));
    assertThatThrownBy(
            () ->
                AgentGatewayGrpc.newBlockingStub(hub.channel(null))
                    .enroll(enroll(token, TestKeys.ec())))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(
            e -> {
              Status s = ((StatusRuntimeException) e).getStatus();
              assertThat(s.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(s.getDescription()).contains("expired");
            });
    assertThat(hub.tokenStore.find(io.kapro.hub.ca.BootstrapTokensAccess.hash(token)))
        .hasValueSatisfying(t -> assertThat(t.used()).isFalse());
    assertNothingWritten();
  }

  @Test
  void tokenForAClusterTheHubNoLongerKnowsIsNotFound() throws Exception {
    ClusterId gone = new ClusterId("team-a", "gone");
    hub.directory.add(gone);
    String token = hub.tokens.issue(gone, BootstrapTokens.DEFAULT_TTL);
    hub.directory.remove(gone);
    assertThatThrownBy(
            () ->
                AgentGatewayGrpc.newBlockingStub(hub.channel(null))
                    .enroll(enroll(token, TestKeys.ec())))
        .isInstanceOf(StatusRuntimeException.class)
        .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(hub.tokenStore.find(io.kapro.hub.ca.BootstrapTokensAccess.hash(token)))
        .hasValueSatisfying(t -> assertThat(t.used()).isFalse());
  }

  @Test
  void invalidCsrDoesNotConsumeTheToken() throws Exception {
    String token = hub.tokens.issue(A, BootstrapTokens.DEFAULT_TTL);
    AgentGatewayGrpc.AgentGatewayBlockingStub anonymous =
        AgentGatewayGrpc.newBlockingStub(hub.channel(null));
    assertThatThrownBy(
            () ->
                anonymous.enroll(
                    EnrollRequest.newBuilder()
                        .setBootstrapToken(token)
                        .setAgentVersion("0.1.0")
                        .setCsrDer(ByteString.copyFromUtf8("garbage"))
                        .build()))
        .isInstanceOf(StatusRuntimeException.class)
        .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    anonymous.enroll(enroll(token, TestKeys.ec()));
  }

  @Test
  void enrollConnectEvidenceAckThenRenew() throws Exception {
    String token = hub.tokens.issue(A, BootstrapTokens.DEFAULT_TTL);
    KeyPair pair = TestKeys.ec();
    EnrollResponse enrolled =
        AgentGatewayGrpc.newBlockingStub(hub.channel(null)).enroll(enroll(token, pair));
    assertThat(enrolled.getIdentity()).isEqualTo(A.uri());
    X509Certificate leaf = x509(enrolled.getCertificateChainDer(0));
    X509Certificate caCert = x509(enrolled.getTrustAnchorsDer(0));
    assertThat(caCert).isEqualTo(hub.ca.certificate());
    Credentials creds = new Credentials(pair.getPrivate(), new X509Certificate[] {leaf, caCert});

    ManagedChannel channel = hub.channel(creds);
    TestStream s = TestStream.open(channel).send(TestStream.hello("0.1.0"));
    s.send(TestStream.evidence(1, "6.5.1"));
    await().until(() -> s.highestAck() == 1);
    assertThat(hub.sink.state(A)).isEqualTo("6.5.1");
    assertThat(hub.sink.applied()).containsExactly(1L);

    KeyPair next = TestKeys.ec();
    RenewResponse renewed =
        AgentGatewayGrpc.newBlockingStub(channel)
            .renew(
                RenewRequest.newBuilder()
                    .setCsrDer(ByteString.copyFrom(TestKeys.csr(next)))
                    .build());
    X509Certificate newLeaf = x509(renewed.getCertificateChainDer(0));
    assertThat(newLeaf.getSerialNumber()).isNotEqualTo(leaf.getSerialNumber());
    assertThat(newLeaf.getPublicKey()).isEqualTo(next.getPublic());
    assertThat(hub.ca.verifyClient(newLeaf)).isEqualTo(A);
  }

  /** Enrolls cluster {@code id} with a fresh token and key; returns what the agent then holds. */
  private Credentials enrolled(ClusterId id) throws Exception {
    KeyPair pair = TestKeys.ec();
    EnrollResponse r =
        AgentGatewayGrpc.newBlockingStub(hub.channel(null))
            .enroll(enroll(hub.tokens.issue(id, BootstrapTokens.DEFAULT_TTL), pair));
    return new Credentials(
        pair.getPrivate(),
        new X509Certificate[] {x509(r.getCertificateChainDer(0)), x509(r.getTrustAnchorsDer(0))});
  }

  /** Renews with {@code creds} over mTLS; returns the renewed credentials. */
  private Credentials renew(Credentials creds) throws Exception {
    KeyPair next = TestKeys.ec();
    RenewResponse r =
        AgentGatewayGrpc.newBlockingStub(hub.channel(creds))
            .renew(
                RenewRequest.newBuilder()
                    .setCsrDer(ByteString.copyFrom(TestKeys.csr(next)))
                    .build());
    return new Credentials(
        next.getPrivate(),
        new X509Certificate[] {x509(r.getCertificateChainDer(0)), x509(r.getTrustAnchorsDer(0))});
  }

  private Status renewRefused(Credentials creds) {
    try {
      renew(creds);
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the renewal was accepted");
  }

  @Test
  void aRenewalRetiresTheCertificateItRenewsSoACopyOfItCanNeitherConnectNorRenew()
      throws Exception {
    Credentials first = enrolled(A);
    TestStream open = TestStream.open(hub.channel(first)).send(TestStream.hello("0.1.0"));
    await().until(open::hasSettings);

    Credentials second = renew(first);

    // the stream of the renewed certificate is closed, and the certificate no longer works
    Status closed = open.awaitTermination();
    assertThat(closed.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(closed.getDescription()).contains("was replaced by certificate");
    Status again = connectAndSend(hub.channel(first));
    assertThat(again.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(again.getDescription())
        .contains(first.leaf().getSerialNumber().toString(16))
        .contains("replaced by certificate " + second.leaf().getSerialNumber().toString(16));
    Status renewAgain = renewRefused(first);
    assertThat(renewAgain.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertNothingWritten();

    // the renewed one connects, reports and renews in its turn
    TestStream s = TestStream.open(hub.channel(second)).send(TestStream.hello("0.1.0"));
    s.send(TestStream.evidence(1, "6.5.1"));
    await().until(() -> s.highestAck() == 1);
    Credentials third = renew(second);
    assertThat(hub.directory.find(A).orElseThrow().currentSerial())
        .contains(third.leaf().getSerialNumber());
    assertThat(connectAndSend(hub.channel(second)).getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void aStolenCertificateThatRenewsFirstLocksOutOnlyOneHolderAndRevokingTheCurrentEndsIt()
      throws Exception {
    Credentials agent = enrolled(A);
    Credentials stolen = new Credentials(agent.key(), agent.chain()); // a copy of the same files

    Credentials thief = renew(stolen);
    // the agent notices: its certificate is refused, and so is its renewal (one renewal wins)
    assertThat(renewRefused(agent).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(connectAndSend(hub.channel(agent)).getDescription())
        .contains("replaced by certificate " + thief.leaf().getSerialNumber().toString(16));

    // the operator revokes the current certificate (kapro certs revoke's default) ...
    hub.directory.revoke(A, thief.leaf().getSerialNumber());
    Status thiefRenews = renewRefused(thief);
    assertThat(thiefRenews.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(thiefRenews.getDescription()).contains("revoked");
    assertThat(connectAndSend(hub.channel(thief)).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    // ... and enrolls the agent again: the new certificate is the only one that works
    Credentials fresh = enrolled(A);
    TestStream s = TestStream.open(hub.channel(fresh)).send(TestStream.hello("0.1.0"));
    s.send(TestStream.evidence(1, "6.5.1"));
    await().until(() -> s.highestAck() == 1);
    assertThat(connectAndSend(hub.channel(agent)).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void aRevokedCertificateCannotRenew() throws Exception {
    Credentials creds = enrolled(A);
    hub.directory.revoke(A, creds.leaf().getSerialNumber());
    Status refused = renewRefused(creds);
    assertThat(refused.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(refused.getDescription()).contains("revoked");
    assertThat(hub.directory.find(A).orElseThrow().currentSerial())
        .contains(creds.leaf().getSerialNumber());
  }

  private static EnrollRequest enroll(String token, KeyPair pair) throws Exception {
    return EnrollRequest.newBuilder()
        .setBootstrapToken(token)
        .setAgentVersion("0.1.0")
        .setCsrDer(ByteString.copyFrom(TestKeys.csr(pair)))
        .build();
  }

  private static X509Certificate x509(ByteString der) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(der.toByteArray()));
  }
}
