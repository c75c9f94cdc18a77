package io.kapro.hub.ca;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kapro.api.KaproSecrets;
import io.kapro.hub.link.LinkException;
import io.kapro.oci.OciException;
import io.kapro.oci.sign.Pem;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link CaStore} in a {@code kubernetes.io/tls} Secret ({@code tls.crt}, {@code tls.key}).
 * Creation is a plain create: a 409 means another replica won, and its CA is loaded.
 */
public final class SecretCaStore implements CaStore {
  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  public SecretCaStore(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  @Override
  public Optional<CaMaterial> load() {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      return Optional.empty();
    }
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    String where = "Secret " + namespace + "/" + name;
    if (!data.containsKey("tls.crt") || !data.containsKey("tls.key")) {
      throw new LinkException(
          LinkException.Reason.CA_FAILURE,
          where + " lacks tls.crt or tls.key; delete it to let the hub create a new CA");
    }
    try {
      List<java.security.cert.X509Certificate> certs =
          Pem.readCertificates(KaproSecrets.decode(data.get("tls.crt")), where + " tls.crt");
      return Optional.of(
          new CaMaterial(
              certs.get(0),
              Pem.readPrivateKey(KaproSecrets.decode(data.get("tls.key")), where + " tls.key")));
    } catch (OciException e) {
      throw new LinkException(LinkException.Reason.CA_FAILURE, e.getMessage(), e);
    }
  }

  @Override
  public CaMaterial saveIfAbsent(CaMaterial candidate) {
    Secret secret =
        KaproSecrets.of(
            namespace,
            name,
            "hub-ca",
            "kubernetes.io/tls",
            Map.of(
                "tls.crt", Pem.certificates(List.of(candidate.certificate())),
                "tls.key", Pem.privateKeyPem(candidate.privateKey())));
    try {
      client.secrets().inNamespace(namespace).resource(secret).create();
      return candidate;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return load().orElseThrow(() -> e);
      }
      throw new LinkException(
          LinkException.Reason.STORE_UNAVAILABLE,
          "cannot create Secret " + namespace + "/" + name + ": " + e.getMessage(),
          e);
    }
  }
}
