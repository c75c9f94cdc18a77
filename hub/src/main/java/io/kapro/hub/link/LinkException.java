package io.kapro.hub.link;

/**
 * The one unchecked exception of the hub's link (CA, enrollment, gateway). Its {@link Reason}
 * decides the gRPC status code in one place ({@code io.kapro.hub.gateway.StatusMapping}).
 */
public final class LinkException extends RuntimeException {

  /** Why a link operation was refused or failed. */
  public enum Reason {
    /** The call needs a client certificate and none was presented. */
    NO_CLIENT_CERTIFICATE,
    /** The client certificate was not issued by this hub's CA or is not a client certificate. */
    UNTRUSTED_CERTIFICATE,
    /** The client certificate is outside its validity period. */
    CERTIFICATE_EXPIRED,
    /** The client certificate's serial is revoked for its cluster. */
    CERTIFICATE_REVOKED,
    /**
     * The client certificate was replaced by a renewal or a new enrollment: only a cluster's
     * current certificate authenticates.
     */
    CERTIFICATE_RETIRED,
    /** An identity (URI SAN, namespace or name) is malformed. */
    BAD_IDENTITY,
    /** A message is about another cluster than the certificate's. */
    IDENTITY_MISMATCH,
    /** The cluster is not known to the hub. */
    UNKNOWN_CLUSTER,
    /** The agent's version is outside the hub's supported range. */
    UNSUPPORTED_VERSION,
    /** No bootstrap token matches. */
    TOKEN_UNKNOWN,
    /** The bootstrap token was already used. */
    TOKEN_USED,
    /** The bootstrap token's time to live has passed. */
    TOKEN_EXPIRED,
    /** The certificate signing request is malformed, unsigned or for an unsupported key. */
    INVALID_CSR,
    /** A stream message breaks the protocol (no hello first, a second hello, empty body). */
    PROTOCOL_VIOLATION,
    /** A message field is invalid (for example evidence number 0). */
    INVALID_MESSAGE,
    /** Too much unwritten evidence is queued for the cluster; the agent should slow down. */
    OVERLOADED,
    /** A store (status write, token or CA store) failed; the caller may retry. */
    STORE_UNAVAILABLE,
    /** The CA material could not be created, loaded or used. */
    CA_FAILURE
  }

  private final Reason reason;

  public LinkException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public LinkException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
