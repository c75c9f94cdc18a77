package io.kapro.hub.ca;

/** Lets tests in other packages compute a token's stored hash. */
public final class BootstrapTokensAccess {
  private BootstrapTokensAccess() {}

  public static String hash(String token) {
    return BootstrapTokens.hash(token);
  }
}
