package io.kapro.hub.ca;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kapro.api.enrollment.BootstrapTokenFormat;
import io.kapro.hub.link.LinkException;
import java.time.Instant;
import java.util.Optional;

/**
 * Bootstrap tokens as Secrets in the hub's namespace, one per token, named after a prefix of the
 * hash: the token itself is never stored. Marking a token used is an update guarded by the Secret's
 * resourceVersion, so two replicas can never both redeem it.
 */
public final class SecretTokenStore implements TokenStore {
  static final String TYPE = BootstrapTokenFormat.SECRET_TYPE;
  private final KubernetesClient client;
  private final String namespace;

  public SecretTokenStore(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  @Override
  public void create(TokenRecord token) {
    Secret secret =
        BootstrapTokenFormat.secret(
            namespace,
            token.sha256(),
            token.cluster().namespace(),
            token.cluster().name(),
            token.expiresAt());
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
    return s == null
        ? Optional.empty()
        : BootstrapTokenFormat.read(s).map(SecretTokenStore::toRecord);
  }

  @Override
  public boolean markUsed(String sha256, Instant at) {
    Secret s = get(sha256);
    if (s == null || BootstrapTokenFormat.read(s).map(r -> r.usedAt() != null).orElse(true)) {
      return false;
    }
    Secret used = BootstrapTokenFormat.markedUsed(s, at);
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
    if (!BootstrapTokenFormat.isHash(sha256)) {
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

  private static TokenRecord toRecord(BootstrapTokenFormat.Stored s) {
    return new TokenRecord(
        s.sha256(), new ClusterId(s.namespace(), s.cluster()), s.expiresAt(), s.usedAt());
  }

  static String name(String sha256) {
    return BootstrapTokenFormat.secretName(sha256);
  }
}
