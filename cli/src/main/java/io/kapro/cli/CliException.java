package io.kapro.cli;

/**
 * The cli module's one unchecked exception: a message for stderr, a hint at the fix, and a {@link
 * Reason} that decides the exit code.
 */
public class CliException extends RuntimeException {
  /** Why a command failed; each maps to one exit code. */
  public enum Reason {
    /** Bad flag, argument or input. */
    USAGE(ExitCodes.USAGE),
    /** A named object does not exist. */
    NOT_FOUND(ExitCodes.NOT_FOUND),
    /** 401/403. */
    FORBIDDEN(ExitCodes.FORBIDDEN),
    /** A wait ran out of time. */
    TIMEOUT(ExitCodes.TIMEOUT),
    /** Cannot connect. */
    UNREACHABLE(ExitCodes.UNREACHABLE),
    /** Anything else, including a failed run or a rejected bundle. */
    FAILED(ExitCodes.FAILED);

    private final int exitCode;

    Reason(int exitCode) {
      this.exitCode = exitCode;
    }

    /** The process exit code for this reason. */
    public int exitCode() {
      return exitCode;
    }
  }

  private final Reason reason;
  private final String hint;

  /**
   * @param reason why
   * @param message what went wrong
   * @param hint how to fix it (may be null)
   */
  public CliException(Reason reason, String message, String hint) {
    super(message);
    this.reason = reason;
    this.hint = hint;
  }

  /** As {@link #CliException(Reason, String, String)} with a cause (shown with --debug). */
  public CliException(Reason reason, String message, String hint, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.hint = hint;
  }

  /** Why. */
  public Reason reason() {
    return reason;
  }

  /** How to fix it, or null. */
  public String hint() {
    return hint;
  }

  /** A usage error. */
  public static CliException usage(String message, String hint) {
    return new CliException(Reason.USAGE, message, hint);
  }

  /** A not-found error. */
  public static CliException notFound(String message, String hint) {
    return new CliException(Reason.NOT_FOUND, message, hint);
  }
}
