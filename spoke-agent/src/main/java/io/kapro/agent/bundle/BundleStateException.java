package io.kapro.agent.bundle;

/** The agent's bundle state (high-water mark, applied bundle) could not be read or written. */
public final class BundleStateException extends RuntimeException {
  public BundleStateException(String message, Throwable cause) {
    super(message, cause);
  }

  public BundleStateException(String message) {
    super(message);
  }
}
