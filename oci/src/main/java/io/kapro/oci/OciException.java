package io.kapro.oci;

/**
 * The one unchecked exception of the oci module. Its {@link Reason} says what went wrong; the
 * message says where and what to check.
 */
public class OciException extends RuntimeException {
  private final Reason reason;

  public OciException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public OciException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** True when the bundle was refused by verification (as opposed to an operational failure). */
  public boolean isRejection() {
    return reason.rejection;
  }

  /** True when trying again later may succeed (rate limits, server errors, connection errors). */
  public boolean isRetryable() {
    return reason.retryable;
  }

  /**
   * Why. The first group are bundle rejections (the agent maps them 1:1 onto the protocol's
   * rejection reasons); the second are operational failures of stores and keys.
   */
  public enum Reason {
    UNSIGNED(true, false),
    UNTRUSTED_KEY(true, false),
    BAD_SIGNATURE(true, false),
    DIGEST_MISMATCH(true, false),
    LAYER_DIGEST_MISMATCH(true, false),
    ANNOTATION_MISMATCH(true, false),
    WRONG_CLUSTER(true, false),
    STALE_SEQUENCE(true, false),
    EXPIRED(true, false),
    NOT_YET_VALID(true, false),
    TOO_LARGE(true, false),
    UNSUPPORTED_SCHEMA(true, false),
    MALFORMED(true, false),
    NOT_ALLOWED(true, false),

    /** Bad input from the caller (a field, a key, a path); the message names it and the fix. */
    INVALID_INPUT(false, false),
    /** No such tag, manifest or blob. */
    NOT_FOUND(false, false),
    /** The registry refused the credentials (HTTP 401). */
    AUTH_FAILED(false, false),
    /** The credentials are valid but lack permission (HTTP 403). */
    FORBIDDEN(false, false),
    /** TLS handshake failed (untrusted certificate, wrong host name, plain HTTP server). */
    TLS_FAILED(false, false),
    /** HTTP 429. */
    RATE_LIMITED(false, true),
    /** HTTP 5xx. */
    REGISTRY_ERROR(false, true),
    /** Connection refused, reset or timed out. */
    UNREACHABLE(false, true),
    /** Any other protocol answer that makes no sense (HTTP 400, unexpected content). */
    PROTOCOL_ERROR(false, false),
    /** Local file system trouble (layout directory or tar). */
    IO_ERROR(false, false);

    private final boolean rejection;
    private final boolean retryable;

    Reason(boolean rejection, boolean retryable) {
      this.rejection = rejection;
      this.retryable = retryable;
    }

    public boolean isRejection() {
      return rejection;
    }

    public boolean isRetryable() {
      return retryable;
    }

    /**
     * True for rejections that say the bytes served differ from what the hub published (a mirror or
     * registry stripped a signature, altered a layer or served oversized content), as opposed to a
     * signed bundle that is itself unacceptable. The same digest may verify once the transport
     * behaves, so these are retried and reported as transport alarms, never as a Target failure.
     */
    public boolean isTransportIntegrity() {
      return switch (this) {
        case UNSIGNED, BAD_SIGNATURE, DIGEST_MISMATCH, LAYER_DIGEST_MISMATCH, TOO_LARGE -> true;
        default -> false;
      };
    }
  }
}
