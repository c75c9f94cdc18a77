package io.kapro.hub.kube;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Reads the Secrets tenants name (signing keys, registry credentials and CAs, webhook and event
 * sink HMAC keys, metrics gate credentials, the inbound endpoint's token): the one place that knows
 * the hub chart grants {@code get} on named Secrets only (issue 18: {@code rbac.tenantSecretNames}
 * and a namespace's {@code secretNames}), so a 403 names the chart value that allows it, and how a
 * value is decoded (base64 {@code data}, else {@code stringData}; undecodable data is absent, never
 * an exception).
 */
public final class TenantSecrets {
  private TenantSecrets() {}

  /** The hub may not read a tenant Secret; the message names the chart value that allows it. */
  public static final class Forbidden extends RuntimeException {
    Forbidden(String ns, String name) {
      super(
          "the hub may not read Secret "
              + ns
              + "/"
              + name
              + " (forbidden); add "
              + name
              + " to the hub chart's rbac.tenantSecretNames, or to secretNames of namespace "
              + ns
              + " in rbac.tenantNamespaces, or name a Secret listed there");
    }
  }

  /**
   * The Secret, or null when it does not exist.
   *
   * @throws Forbidden when the hub's RBAC does not allow reading it
   */
  public static Secret read(KubernetesClient client, String ns, String name) {
    try {
      return client.secrets().inNamespace(ns).withName(name).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        throw new Forbidden(ns, name);
      }
      throw e;
    }
  }

  /** A value as bytes, or null when the key is absent or its data is not base64. */
  public static byte[] bytes(Secret s, String key) {
    if (s.getData() != null && s.getData().get(key) != null) {
      try {
        return Base64.getDecoder().decode(s.getData().get(key));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    if (s.getStringData() != null && s.getStringData().get(key) != null) {
      return s.getStringData().get(key).getBytes(StandardCharsets.UTF_8);
    }
    return null;
  }

  /** A value as UTF-8 text, or null when the key is absent or its data is not base64. */
  public static String text(Secret s, String key) {
    byte[] b = bytes(s, key);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }
}
