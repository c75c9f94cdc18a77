package io.kapro.api;

/** The api module's one unchecked exception; {@link #reason()} becomes a condition reason. */
public class KaproApiException extends RuntimeException {
  /** Why the operation failed. */
  public enum Reason {
    /** An object's spec failed validation. */
    INVALID_SPEC,
    /** A duration string could not be parsed. */
    INVALID_DURATION
  }

  private final Reason reason;

  /**
   * @param reason why
   * @param message what went wrong and how to fix it
   */
  public KaproApiException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Why the operation failed. */
  public Reason reason() {
    return reason;
  }
}
