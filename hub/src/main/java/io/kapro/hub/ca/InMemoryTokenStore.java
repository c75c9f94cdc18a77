package io.kapro.hub.ca;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** A {@link TokenStore} in memory, for tests. */
public final class InMemoryTokenStore implements TokenStore {
  private final ConcurrentMap<String, TokenRecord> tokens = new ConcurrentHashMap<>();

  @Override
  public void create(TokenRecord token) {
    if (tokens.putIfAbsent(token.sha256(), token) != null) {
      throw new IllegalStateException("token hash already stored");
    }
  }

  @Override
  public Optional<TokenRecord> find(String sha256) {
    return Optional.ofNullable(tokens.get(sha256));
  }

  @Override
  public boolean markUsed(String sha256, Instant at) {
    AtomicBoolean won = new AtomicBoolean();
    tokens.computeIfPresent(
        sha256,
        (k, t) -> {
          if (t.used()) {
            return t;
          }
          won.set(true);
          return new TokenRecord(t.sha256(), t.cluster(), t.expiresAt(), at);
        });
    return won.get();
  }
}
