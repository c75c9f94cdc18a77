package io.kapro.e2e.agent;

/**
 * The bare-JVM baseline of the agent footprint benchmark (issue 22): a JVM that starts, prints one
 * line and exits, with the agent's flags, so the agent's start-up is reported as a ratio to it.
 */
public final class BareHello {
  private BareHello() {}

  public static void main(String[] args) {
    System.out.println("hello");
  }
}
