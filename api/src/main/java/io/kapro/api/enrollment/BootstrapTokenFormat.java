package io.kapro.api.enrollment;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The contract between whoever issues a bootstrap token (the hub, {@code kapro certs
 * bootstrap-token}) and the hub that redeems it: the token's shape, its SHA-256 hash (the only
 * thing stored), and the Secret that holds the hash in the hub's namespace (name, type, labels,
 * data keys). A token is {@code kbt_} plus 32 random bytes, base64url without padding.
 */
public final class BootstrapTokenFormat {
  /** Every token starts with this. */
  public static final String PREFIX = "kbt_";

  /** Longest token a hub looks up; anything longer is refused without a lookup. */
  public static final int MAX_TOKEN_LENGTH = 256;

  /** Default time to live. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);

  /** Longest time to live. */
  public static final Duration MAX_TTL = Duration.ofDays(7);

  /** Secret type of a stored token. */
  public static final String SECRET_TYPE = "kapro.io/bootstrap-token";

  /** Secret name prefix; the rest is the first 32 hex characters of the hash. */
  public static final String SECRET_NAME_PREFIX = "kapro-bootstrap-";

  /** Data key: hex SHA-256 of the token. */
  public static final String KEY_SHA256 = "sha256";

  /** Data key: namespace of the Cluster the token is bound to. */
  public static final String KEY_NAMESPACE = "namespace";

  /** Data key: name of the Cluster the token is bound to. */
  public static final String KEY_CLUSTER = "cluster";

  /** Data key: expiry, RFC 3339. */
  public static final String KEY_EXPIRES_AT = "expiresAt";

  /** Data key: when the token was redeemed, RFC 3339; absent while unused. */
  public static final String KEY_USED_AT = "usedAt";

  /** Label on the Secret naming the cluster. */
  public static final String LABEL_CLUSTER = "kapro.io/cluster";

  /** Label on the Secret naming the product. */
  public static final String LABEL_PART_OF = "app.kubernetes.io/part-of";

  private static final SecureRandom RANDOM = new SecureRandom();

  private BootstrapTokenFormat() {}

  /** A stored token as read from its Secret ({@code usedAt} null while unused). */
  public record Stored(
      String sha256, String namespace, String cluster, Instant expiresAt, Instant usedAt) {}

  /**
   * A token and the Secret to create for it.
   *
   * @param token the token, shown once to whoever issues it
   * @param secret the Secret holding only its hash
   */
  public record Issued(String token, Secret secret) {}

  /**
   * Issues a token: a fresh random token and its Secret, valid for {@code ttl} from {@code now}.
   *
   * @throws IllegalArgumentException when {@code ttl} is not within (0, 7 days]
   */
  public static Issued issue(
      String hubNamespace, String clusterNamespace, String cluster, Duration ttl, Instant now) {
    if (!validTtl(ttl)) {
      throw new IllegalArgumentException(
          "bootstrap token ttl must be longer than 0 and at most 7 days (168h), got " + ttl);
    }
    String token = newToken();
    return new Issued(
        token, secret(hubNamespace, hash(token), clusterNamespace, cluster, now.plus(ttl)));
  }

  /** A fresh random token. */
  public static String newToken() {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** True when {@code ttl} is within (0, {@link #MAX_TTL}]. */
  public static boolean validTtl(Duration ttl) {
    return ttl != null && !ttl.isNegative() && !ttl.isZero() && ttl.compareTo(MAX_TTL) <= 0;
  }

  /** True when the token could be one (non-empty, not longer than {@link #MAX_TOKEN_LENGTH}). */
  public static boolean plausible(String token) {
    return token != null && !token.isEmpty() && token.length() <= MAX_TOKEN_LENGTH;
  }

  /** Lowercase hex SHA-256 of the token's UTF-8 bytes. */
  public static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** True for a lowercase hex SHA-256. */
  public static boolean isHash(String sha256) {
    return sha256 != null && sha256.matches("[0-9a-f]{64}");
  }

  /** The name of the Secret that stores a token with this hash. */
  public static String secretName(String sha256) {
    return SECRET_NAME_PREFIX + sha256.substring(0, 32);
  }

  /**
   * The Secret that stores a token's hash.
   *
   * @param hubNamespace the hub's namespace (where the Secret lives)
   * @param sha256 {@link #hash} of the token
   * @param clusterNamespace namespace of the Cluster object
   * @param cluster name of the Cluster object
   * @param expiresAt expiry
   */
  public static Secret secret(
      String hubNamespace,
      String sha256,
      String clusterNamespace,
      String cluster,
      Instant expiresAt) {
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(hubNamespace)
        .withName(secretName(sha256))
        .addToLabels(LABEL_PART_OF, "kapro")
        .addToLabels(LABEL_CLUSTER, cluster)
        .endMetadata()
        .withType(SECRET_TYPE)
        .addToData(KEY_SHA256, encode(sha256))
        .addToData(KEY_NAMESPACE, encode(clusterNamespace))
        .addToData(KEY_CLUSTER, encode(cluster))
        .addToData(KEY_EXPIRES_AT, encode(expiresAt.toString()))
        .build();
  }

  /** A copy of the Secret marked as used at {@code at}. */
  public static Secret markedUsed(Secret secret, Instant at) {
    return new SecretBuilder(secret).addToData(KEY_USED_AT, encode(at.toString())).build();
  }

  /** Reads a stored token; empty when the Secret is not a bootstrap-token Secret. */
  public static Optional<Stored> read(Secret s) {
    if (s == null || !SECRET_TYPE.equals(s.getType()) || s.getData() == null) {
      return Optional.empty();
    }
    Map<String, String> d = s.getData();
    String usedAt = d.get(KEY_USED_AT);
    return Optional.of(
        new Stored(
            decode(d.get(KEY_SHA256)),
            decode(d.get(KEY_NAMESPACE)),
            decode(d.get(KEY_CLUSTER)),
            Instant.parse(decode(d.get(KEY_EXPIRES_AT))),
            usedAt == null ? null : Instant.parse(decode(usedAt))));
  }

  private static String encode(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String s) {
    return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
  }
}
