package io.kapro.hub.ca;

import java.time.Instant;
import java.util.Optional;

/** Persistence of bootstrap tokens, keyed by the token's SHA-256 hash (never the token). */
public interface TokenStore {

  /** Stores a new, unused token. */
  void create(TokenRecord token);

  /** The token with this hash, if any. */
  Optional<TokenRecord> find(String sha256);

  /**
   * Marks the token used at {@code at}, atomically: returns {@code false} when it was already used
   * (or is gone), so two concurrent enrollments can never both succeed.
   */
  boolean markUsed(String sha256, Instant at);
}
