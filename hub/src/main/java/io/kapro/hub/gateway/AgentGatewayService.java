package io.kapro.hub.gateway;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kapro.agent.v1.AgentGatewayGrpc;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.EnrollRequest;
import io.kapro.agent.v1.EnrollResponse;
import io.kapro.agent.v1.HubMessage;
import io.kapro.agent.v1.RenewRequest;
import io.kapro.agent.v1.RenewResponse;
import io.kapro.hub.link.LinkException;
import java.util.function.Supplier;

/**
 * The gRPC service agents talk to. Runs behind {@link ClientCertificateInterceptor}, which puts the
 * caller's identity in the context for Connect and Renew.
 */
final class AgentGatewayService extends AgentGatewayGrpc.AgentGatewayImplBase {
  private final SessionContext sessions;
  private final Enrollment enrollment;

  AgentGatewayService(SessionContext sessions, Enrollment enrollment) {
    this.sessions = sessions;
    this.enrollment = enrollment;
  }

  @Override
  public StreamObserver<AgentMessage> connect(StreamObserver<HubMessage> responses) {
    return new AgentSession(
        ClientCertificateInterceptor.AGENT.get(),
        (ServerCallStreamObserver<HubMessage>) responses,
        sessions);
  }

  @Override
  public void enroll(EnrollRequest request, StreamObserver<EnrollResponse> responses) {
    unary(() -> enrollment.enroll(request), responses);
  }

  @Override
  public void renew(RenewRequest request, StreamObserver<RenewResponse> responses) {
    unary(() -> enrollment.renew(ClientCertificateInterceptor.AGENT.get(), request), responses);
  }

  private static <T> void unary(Supplier<T> call, StreamObserver<T> responses) {
    T response;
    try {
      response = call.get();
    } catch (LinkException e) {
      responses.onError(StatusMapping.toStatus(e).asRuntimeException());
      return;
    }
    responses.onNext(response);
    responses.onCompleted();
  }
}
