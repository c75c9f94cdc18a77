package io.kapro.agent.evidence;

/** The outbox cannot do what was asked; the {@link Reason} says why. */
public final class OutboxException extends RuntimeException {
  /** Why the outbox failed. */
  public enum Reason {
    /** Reading or writing the file failed. */
    IO,
    /** The file is not an outbox, or a record in the middle is damaged. */
    CORRUPT,
    /** Another process holds the outbox. */
    LOCKED,
    /** The item is larger than a record may be. */
    TOO_LARGE,
    /** The outbox was closed, or an earlier write failure left it unusable. */
    CLOSED
  }

  private final Reason reason;

  public OutboxException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public OutboxException(Reason reason, String message) {
    this(reason, message, null);
  }

  public Reason reason() {
    return reason;
  }
}
