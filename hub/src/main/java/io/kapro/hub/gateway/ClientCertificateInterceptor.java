package io.kapro.hub.gateway;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.kapro.agent.v1.AgentGatewayGrpc;
import io.kapro.hub.link.LinkException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requires a valid client certificate on every method except {@code Enroll} (default deny: a new
 * method is protected until it is listed here). The TLS layer only requests the certificate, so
 * that a refusal carries a status code and a message an operator can act on.
 */
final class ClientCertificateInterceptor implements ServerInterceptor {
  /** The authenticated caller of the current call. */
  static final Context.Key<AuthenticatedAgent> AGENT = Context.key("kapro-agent");

  private static final Logger LOG = LoggerFactory.getLogger(ClientCertificateInterceptor.class);
  private static final Set<String> WITHOUT_CERTIFICATE =
      Set.of(AgentGatewayGrpc.getEnrollMethod().getFullMethodName());

  private final ClientAuthenticator authenticator;

  ClientCertificateInterceptor(ClientAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (WITHOUT_CERTIFICATE.contains(call.getMethodDescriptor().getFullMethodName())) {
      return next.startCall(call, headers);
    }
    AuthenticatedAgent agent;
    try {
      agent = authenticator.authenticate(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    } catch (LinkException e) {
      LOG.info(
          "refused {} from {}: {}",
          call.getMethodDescriptor().getBareMethodName(),
          call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
          e.getMessage());
      call.close(StatusMapping.toStatus(e), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(Context.current().withValue(AGENT, agent), call, headers, next);
  }
}
