package io.kapro.hub.source;

import io.kapro.api.Kapro;

/**
 * A check the hub cannot complete; the message names the field and the fix, the reason becomes the
 * Ready condition's reason ({@code InvalidSpec} unless said otherwise).
 */
public final class SourceException extends RuntimeException {
  private final String reason;

  public SourceException(String message) {
    this(Kapro.Reasons.INVALID_SPEC, message);
  }

  public SourceException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** The Ready condition's reason. */
  public String reason() {
    return reason;
  }
}
