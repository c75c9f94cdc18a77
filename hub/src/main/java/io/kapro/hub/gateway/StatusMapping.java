package io.kapro.hub.gateway;

import io.grpc.Status;
import io.kapro.hub.link.LinkException;

/** The one place where link errors become gRPC status codes. */
public final class StatusMapping {
  private StatusMapping() {}

  /** The status for {@code e}, its message carried as the description. */
  public static Status toStatus(LinkException e) {
    return code(e.reason()).withDescription(e.getMessage());
  }

  static Status code(LinkException.Reason reason) {
    return switch (reason) {
      case NO_CLIENT_CERTIFICATE,
          UNTRUSTED_CERTIFICATE,
          CERTIFICATE_EXPIRED,
          CERTIFICATE_REVOKED,
          CERTIFICATE_RETIRED,
          BAD_IDENTITY,
          TOKEN_UNKNOWN,
          TOKEN_USED,
          TOKEN_EXPIRED ->
          Status.UNAUTHENTICATED;
      case IDENTITY_MISMATCH -> Status.PERMISSION_DENIED;
      case UNKNOWN_CLUSTER -> Status.NOT_FOUND;
      case UNSUPPORTED_VERSION, PROTOCOL_VIOLATION -> Status.FAILED_PRECONDITION;
      case INVALID_CSR, INVALID_MESSAGE -> Status.INVALID_ARGUMENT;
      case STORE_UNAVAILABLE -> Status.UNAVAILABLE;
      case OVERLOADED -> Status.RESOURCE_EXHAUSTED;
      case CA_FAILURE -> Status.INTERNAL;
    };
  }
}
