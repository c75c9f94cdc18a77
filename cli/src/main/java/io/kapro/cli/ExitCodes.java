package io.kapro.cli;

/** The exit codes of every {@code kapro} command (documented in docs/cli.md). */
public final class ExitCodes {
  /** Done; for {@code promote --wait}: the run succeeded (converged). */
  public static final int OK = 0;

  /** The run failed, halted or rolled back; a bundle was rejected; any other failure. */
  public static final int FAILED = 1;

  /** Bad flag, argument or input file: nothing was changed. */
  public static final int USAGE = 2;

  /** A named object (fleet, plan, run, cluster, key, bundle) does not exist. */
  public static final int NOT_FOUND = 3;

  /** The API server or registry refused the credentials or the permission (401/403). */
  public static final int FORBIDDEN = 4;

  /** {@code --timeout} passed before the outcome was known. */
  public static final int TIMEOUT = 5;

  /** The API server or registry could not be reached. */
  public static final int UNREACHABLE = 6;

  private ExitCodes() {}
}
