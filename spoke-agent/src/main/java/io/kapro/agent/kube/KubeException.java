package io.kapro.agent.kube;

/**
 * A Kubernetes API call that failed: the HTTP status ({@code 0} when there was no answer), the verb
 * and the object, the API server's message and what to do about it.
 */
public final class KubeException extends RuntimeException {
  private final int code;

  public KubeException(int code, String message) {
    super(message);
    this.code = code;
  }

  public KubeException(int code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The HTTP status, {@code 0} when the API server did not answer (timeout, refused, TLS). */
  public int code() {
    return code;
  }

  /** Whether the answer was 404 Not Found. */
  public boolean notFound() {
    return code == 404;
  }

  /** Whether the answer was 409 Conflict (a stale resourceVersion, or the object exists). */
  public boolean conflict() {
    return code == 409;
  }

  /** Whether the answer was 403 Forbidden (RBAC). */
  public boolean forbidden() {
    return code == 403;
  }

  /**
   * The message for an HTTP error answer: the verb, the object, the API server's own message and
   * the fix for the answers an operator can act on.
   */
  static String describe(int code, String verb, String what, String serverMessage) {
    String base =
        verb
            + " "
            + what
            + ": HTTP "
            + code
            + (serverMessage == null || serverMessage.isBlank() ? "" : " " + serverMessage);
    return switch (code) {
      case 401 ->
          base
              + " (the API server did not accept the agent's credentials: check the service"
              + " account token or the kubeconfig user)";
      case 403 ->
          base
              + " (RBAC: the agent's Role must allow '"
              + verb
              + "' on "
              + what
              + "; see the agent chart's rbac values and docs/operations.md#rbac)";
      case 404 -> base + " (not found)";
      case 409 -> base + " (conflict: the object changed or already exists; read it again)";
      case 410 -> base + " (the resourceVersion expired; list again)";
      case 429 -> base + " (the API server is throttling; retried later)";
      default -> base;
    };
  }
}
