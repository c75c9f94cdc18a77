package io.kapro.hub.events.inbound;

/** A refused inbound request, with the HTTP status its {@link Reason} maps to. */
public final class InboundException extends RuntimeException {
  /** Why a request was refused. */
  public enum Reason {
    MALFORMED(400),
    UNAUTHENTICATED(401),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    UNPROCESSABLE(422),
    RATE_LIMITED(429),
    TIMED_OUT(408);

    private final int status;

    Reason(int status) {
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final Reason reason;

  public InboundException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
