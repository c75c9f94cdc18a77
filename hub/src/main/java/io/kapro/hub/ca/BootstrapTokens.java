package io.kapro.hub.ca;

import io.kapro.api.enrollment.BootstrapTokenFormat;
import io.kapro.hub.link.LinkException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Single-use bootstrap tokens bound to one cluster. Only the SHA-256 hash is stored; the token
 * itself is shown once, to whoever issues it.
 */
public final class BootstrapTokens {
  /** Default time to live of a token. */
  public static final Duration DEFAULT_TTL = BootstrapTokenFormat.DEFAULT_TTL;

  static final String PREFIX = BootstrapTokenFormat.PREFIX;

  private final TokenStore store;
  private final Clock clock;

  public BootstrapTokens(TokenStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** A new token for {@code cluster}, valid for {@code ttl}. */
  public String issue(ClusterId cluster, Duration ttl) {
    if (!BootstrapTokenFormat.validTtl(ttl)) {
      throw new LinkException(
          LinkException.Reason.INVALID_MESSAGE,
          "bootstrap token ttl must be between 1s and 7 days, got " + ttl);
    }
    String token = BootstrapTokenFormat.newToken();
    store.create(new TokenRecord(hash(token), cluster, clock.instant().plus(ttl), null));
    return token;
  }

  /**
   * The cluster {@code token} is bound to, if it is known, unused and unexpired. Does not consume
   * it: call {@link #consume} once the rest of the request has been checked.
   */
  public TokenRecord check(String token) {
    if (!BootstrapTokenFormat.plausible(token)) {
      throw new LinkException(
          LinkException.Reason.TOKEN_UNKNOWN,
          "bootstrap_token is missing or malformed; issue one with 'kapro certs bootstrap-token'");
    }
    TokenRecord record =
        store
            .find(hash(token))
            .orElseThrow(
                () ->
                    new LinkException(
                        LinkException.Reason.TOKEN_UNKNOWN,
                        "bootstrap_token is not known to this hub; issue a new one"));
    if (record.used()) {
      throw used(record);
    }
    Instant now = clock.instant();
    if (!now.isBefore(record.expiresAt())) {
      throw new LinkException(
          LinkException.Reason.TOKEN_EXPIRED,
          "bootstrap_token for "
              + record.cluster()
              + " expired at "
              + record.expiresAt()
              + "; issue a new one");
    }
    return record;
  }

  /** Marks the checked token used; fails if another enrollment used it first. */
  public void consume(TokenRecord record) {
    if (!store.markUsed(record.sha256(), clock.instant())) {
      throw used(record);
    }
  }

  static String hash(String token) {
    return BootstrapTokenFormat.hash(token);
  }

  private static LinkException used(TokenRecord record) {
    return new LinkException(
        LinkException.Reason.TOKEN_USED,
        "bootstrap_token for "
            + record.cluster()
            + " was already used; tokens are single-use, issue a new one");
  }
}
