package io.kapro.agent.health;

/**
 * What the agent does with an error the JVM cannot recover from (out of memory, stack overflow,
 * internal error): it stops the process at once with exit code 3, the code of {@code
 * -XX:+ExitOnOutOfMemoryError}, so Kubernetes restarts the pod instead of keeping a half-dead
 * agent. The chart's JVM options exit on OutOfMemoryError before any of this runs; this covers
 * errors the JVM flag does not (and a runtime started without the flag): caught in the pull loop,
 * or uncaught on any thread ({@link #install}).
 */
public final class FatalErrors {
  /** Exit status, as {@code -XX:+ExitOnOutOfMemoryError} uses. */
  public static final int EXIT_STATUS = 3;

  private FatalErrors() {}

  /** Sends uncaught {@link VirtualMachineError}s on any thread to {@link #halt}. */
  public static void install() {
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> {
          if (e instanceof VirtualMachineError vme) {
            halt("thread " + thread.getName(), vme);
          }
          if (previous != null) {
            previous.uncaughtException(thread, e);
          } else {
            System.err.println("Uncaught exception in thread " + thread.getName() + ":");
            e.printStackTrace();
          }
        });
  }

  /**
   * Stops the JVM without running shutdown hooks (they may need the memory that is gone).
   *
   * @return never returns; declared so callers can {@code throw halt(...)}
   */
  public static Error halt(String where, VirtualMachineError e) {
    try {
      System.err.println("kapro-agent: fatal " + e + " in " + where + "; exiting for a restart");
    } finally {
      Runtime.getRuntime().halt(EXIT_STATUS);
    }
    return e;
  }
}
