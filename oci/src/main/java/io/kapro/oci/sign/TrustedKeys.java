package io.kapro.oci.sign;

import java.security.PublicKey;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The public keys an agent trusts, by key id. Several at once, so keys can be rotated. */
public final class TrustedKeys {
  private final Map<String, PublicKey> byId;

  private TrustedKeys(Map<String, PublicKey> byId) {
    this.byId = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byId));
  }

  public static TrustedKeys of(Collection<PublicKey> keys) {
    Map<String, PublicKey> m = new LinkedHashMap<>();
    for (PublicKey k : keys) {
      m.put(Pem.keyId(k), k);
    }
    return new TrustedKeys(m);
  }

  public static TrustedKeys of(PublicKey... keys) {
    return of(List.of(keys));
  }

  /** Every {@code PUBLIC KEY} block in the PEM text (one file may hold several). */
  public static TrustedKeys fromPem(String pem, String source) {
    return of(Pem.readPublicKeys(pem, source));
  }

  public Set<String> keyIds() {
    return byId.keySet();
  }

  public Optional<PublicKey> get(String keyId) {
    return Optional.ofNullable(byId.get(keyId));
  }

  public Collection<PublicKey> keys() {
    return byId.values();
  }

  public boolean isEmpty() {
    return byId.isEmpty();
  }

  /** A set with one more key. */
  public TrustedKeys with(PublicKey key) {
    Map<String, PublicKey> m = new LinkedHashMap<>(byId);
    m.put(Pem.keyId(key), key);
    return new TrustedKeys(m);
  }

  /** Key id → key, in insertion order. */
  public Set<Map.Entry<String, PublicKey>> entries() {
    return byId.entrySet();
  }
}
