package io.kapro.hub.target;

/**
 * The publisher's one unchecked exception. {@link Reason#INVALID_SPEC} means a person must fix a
 * Fleet, Secret or request (retrying does not help); the others are transient.
 */
public final class PublishException extends RuntimeException {

  /** Why a bundle could not be issued. */
  public enum Reason {
    /** The Fleet, its Secrets or the request are invalid; the message names the field and fix. */
    INVALID_SPEC(false),
    /** The Fleet or Cluster does not exist (yet). */
    NOT_FOUND(true),
    /** The Cluster is paused ({@code spec.paused}); no new bundles are issued for it. */
    PAUSED(true),
    /** The registry or layout refused or failed the push or read. */
    STORE_FAILED(true);

    private final boolean retryable;

    Reason(boolean retryable) {
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }
  }

  private final Reason reason;

  public PublishException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public PublishException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
