package io.kapro.hub.ca;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Bootstrap tokens as Secrets in the hub's namespace, one per token, named after a prefix of the
 * hash: the token itself is never stored. Marking a token used is an update guarded by the Secret's
 * resourceVersion, so two replicas can never both redeem it.
 */
public final class SecretTokenStore implements TokenStore {
  static final String TYPE = "kapro.io/bootstrap-token";
  private final KubernetesClient client;
  private final String namespace;

  public SecretTokenStore(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  @Override
  public void create(TokenRecord token) {
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(name(token.sha256()))
            .addToLabels("app.kubernetes.io/part-of", "kapro")
            .addToLabels("kapro.io/cluster", token.cluster().name())
            .endMetadata()
            .withType(TYPE)
            .addToData("sha256", encode(token.sha256()))
            .addToData("namespace", encode(token.cluster().namespace()))
            .addToData("cluster", encode(token.cluster().name()))
            .addToData("expiresAt", encode(token.expiresAt().toString()))
            .build();
    try {
      client.secrets().inNamespace(namespace).resource(secret).create();
    } catch (KubernetesClientException e) {
      throw new LinkException(
          LinkException.Reason.STORE_UNAVAILABLE,
          "cannot store the bootstrap token: " + e.getMessage(),
          e);
    }
  }

  @Override
  public Optional<TokenRecord> find(String sha256) {
    Secret s = get(sha256);
    return s == null ? Optional.empty() : Optional.of(toRecord(s));
  }

  @Override
  public boolean markUsed(String sha256, Instant at) {
    Secret s = get(sha256);
    if (s == null || toRecord(s).used()) {
      return false;
    }
    Secret used = new SecretBuilder(s).addToData("usedAt", encode(at.toString())).build();
    try {
      client.secrets().inNamespace(namespace).resource(used).update();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 || e.getCode() == 404) {
        return false;
      }
      throw new LinkException(
          LinkException.Reason.STORE_UNAVAILABLE,
          "cannot mark the bootstrap token used: " + e.getMessage(),
          e);
    }
  }

  private Secret get(String sha256) {
    if (!sha256.matches("[0-9a-f]{64}")) {
      return null;
    }
    try {
      Secret s = client.secrets().inNamespace(namespace).withName(name(sha256)).get();
      return s != null && TYPE.equals(s.getType()) ? s : null;
    } catch (KubernetesClientException e) {
      throw new LinkException(
          LinkException.Reason.STORE_UNAVAILABLE,
          "cannot read bootstrap tokens: " + e.getMessage(),
          e);
    }
  }

  private static TokenRecord toRecord(Secret s) {
    Map<String, String> d = s.getData();
    String usedAt = d.get("usedAt");
    return new TokenRecord(
        decode(d.get("sha256")),
        new ClusterId(decode(d.get("namespace")), decode(d.get("cluster"))),
        Instant.parse(decode(d.get("expiresAt"))),
        usedAt == null ? null : Instant.parse(decode(usedAt)));
  }

  static String name(String sha256) {
    return "kapro-bootstrap-" + sha256.substring(0, 32);
  }

  private static String encode(String s) {
    return java.util.Base64.getEncoder()
        .encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static String decode(String s) {
    return new String(
        java.util.Base64.getDecoder().decode(s), java.nio.charset.StandardCharsets.UTF_8);
  }
}
