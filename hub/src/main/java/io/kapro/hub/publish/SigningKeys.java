package io.kapro.hub.publish;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.hub.kube.TenantSecrets;
import io.kapro.oci.OciException;
import io.kapro.oci.sign.SigningKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads a Fleet's signing key from its Secret (PEM PKCS#8 ECDSA P-256), cached by the Secret's
 * resourceVersion so a rotated key is picked up. With a recheck interval the Secret is read at most
 * once per interval per key (the publisher's: no Secret read per bundle; a rotation is picked up
 * within the interval); without one, on every load. Only a good key is cached: a missing or bad one
 * is read again next time.
 */
public final class SigningKeys {
  private record Cached(String resourceVersion, SigningKey key, Instant checkedAt) {}

  private final KubernetesClient client;
  private final Clock clock;
  private final Duration recheck;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  /** Reads the Secret on every load. */
  public SigningKeys(KubernetesClient client) {
    this(client, Clock.systemUTC(), Duration.ZERO);
  }

  /** Reads the Secret at most once per {@code recheck} per key. */
  public SigningKeys(KubernetesClient client, Clock clock, Duration recheck) {
    this.client = client;
    this.clock = clock;
    this.recheck = recheck;
  }

  /** The Fleet's key, or INVALID_SPEC naming the Secret and key and what to put there. */
  public SigningKey load(FleetConfig fleet) {
    String ns = fleet.namespace();
    String name = fleet.key().getName();
    String key = fleet.key().getKey();
    String where =
        "Fleet "
            + ns
            + "/"
            + fleet.name()
            + " spec.signing.keySecretRef: Secret "
            + ns
            + "/"
            + name;
    String cacheKey = ns + "/" + name + "/" + key;
    Cached fresh = cache.get(cacheKey);
    if (fresh != null && clock.instant().isBefore(fresh.checkedAt().plus(recheck))) {
      return fresh.key();
    }
    // one read per key at a time: publishes that start together (a fan-out's first bundles)
    // wait for it instead of each reading the Secret
    synchronized (locks.computeIfAbsent(cacheKey, k -> new Object())) {
      return read(ns, name, key, where, cacheKey);
    }
  }

  private SigningKey read(String ns, String name, String key, String where, String cacheKey) {
    Instant now = clock.instant();
    Cached fresh = cache.get(cacheKey);
    if (fresh != null && now.isBefore(fresh.checkedAt().plus(recheck))) {
      return fresh.key(); // read by the publish this one waited for
    }
    Secret s = FleetStores.readSecret(client, ns, name, where);
    if (s == null) {
      throw FleetConfig.invalid(
          where
              + " does not exist; create it with a PEM PKCS#8 ECDSA P-256 private key under key '"
              + key
              + "'");
    }
    Cached c = cache.get(cacheKey);
    if (c != null && c.resourceVersion().equals(s.getMetadata().getResourceVersion())) {
      cache.put(cacheKey, new Cached(c.resourceVersion(), c.key(), now));
      return c.key();
    }
    String pem = TenantSecrets.text(s, key);
    if (pem == null || pem.isBlank()) {
      TreeSet<String> present = new TreeSet<>();
      if (s.getData() != null) {
        present.addAll(s.getData().keySet());
      }
      if (s.getStringData() != null) {
        present.addAll(s.getStringData().keySet());
      }
      throw FleetConfig.invalid(
          where
              + " has no key '"
              + key
              + "' (it has "
              + present
              + "); put the PEM private key there");
    }
    try {
      SigningKey k = SigningKey.fromPem(pem, "Secret " + ns + "/" + name + " key " + key);
      cache.put(cacheKey, new Cached(s.getMetadata().getResourceVersion(), k, now));
      return k;
    } catch (OciException | IllegalArgumentException e) {
      throw FleetConfig.invalid(
          where
              + " key '"
              + key
              + "' is not a PEM PKCS#8 ECDSA P-256 private key: "
              + e.getMessage());
    }
  }
}
