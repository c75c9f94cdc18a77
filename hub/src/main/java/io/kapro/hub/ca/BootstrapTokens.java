package io.kapro.hub.ca;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Single-use bootstrap tokens bound to one cluster. Only the SHA-256 hash is stored; the token
 * itself is shown once, to whoever issues it.
 */
public final class BootstrapTokens {
  /** Default time to live of a token. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);

  static final String PREFIX = "kbt_";
  private static final int MAX_TOKEN_LENGTH = 256;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final TokenStore store;
  private final Clock clock;

  public BootstrapTokens(TokenStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** A new token for {@code cluster}, valid for {@code ttl}. */
  public String issue(ClusterId cluster, Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(Duration.ofDays(7)) > 0) {
      throw new LinkException(
          LinkException.Reason.INVALID_MESSAGE,
          "bootstrap token ttl must be between 1s and 7 days, got " + ttl);
    }
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    store.create(new TokenRecord(hash(token), cluster, clock.instant().plus(ttl), null));
    return token;
  }

  /**
   * The cluster {@code token} is bound to, if it is known, unused and unexpired. Does not consume
   * it: call {@link #consume} once the rest of the request has been checked.
   */
  public TokenRecord check(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
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
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static LinkException used(TokenRecord record) {
    return new LinkException(
        LinkException.Reason.TOKEN_USED,
        "bootstrap_token for "
            + record.cluster()
            + " was already used; tokens are single-use, issue a new one");
  }
}
