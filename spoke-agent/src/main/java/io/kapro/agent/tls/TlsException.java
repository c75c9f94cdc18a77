package io.kapro.agent.tls;

/** Why the agent's credentials could not be obtained, stored or used. */
public final class TlsException extends RuntimeException {

  /** What went wrong. */
  public enum Reason {
    /** No stored credentials and no bootstrap token. */
    NOT_ENROLLED,
    /** The hub refused the enrollment (token unknown, used, expired; version; cluster). */
    ENROLLMENT_REFUSED,
    /** The hub refused the renewal (revoked, expired). */
    RENEWAL_REFUSED,
    /** Stored or received credentials are malformed or inconsistent. */
    /** The certificate speaks for another cluster than the one configured. */
    IDENTITY_MISMATCH,
    INVALID_CREDENTIALS,
    /** The credential store could not be read or written. */
    STORE_FAILED
  }

  private final Reason reason;

  public TlsException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public TlsException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
