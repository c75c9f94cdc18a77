package io.kapro.agent.tls;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kapro.api.KaproSecrets;
import io.kapro.oci.sign.Pem;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials in a {@code kubernetes.io/tls} Secret in the agent's cluster: {@code tls.key}, {@code
 * tls.crt} (chain) and {@code ca.crt} (trust anchors).
 */
public final class SecretCredentialStore implements CredentialStore {
  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  public SecretCredentialStore(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  @Override
  public Optional<AgentCredentials> load() {
    Secret secret;
    try {
      secret = client.secrets().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new TlsException(
          TlsException.Reason.STORE_FAILED, "cannot read " + describe() + ": " + e.getMessage(), e);
    }
    if (secret == null || secret.getData() == null || secret.getData().isEmpty()) {
      return Optional.empty(); // absent, or created empty by the chart
    }
    Map<String, String> data = secret.getData();
    for (String key : new String[] {"tls.key", "tls.crt", "ca.crt"}) {
      if (!data.containsKey(key)) {
        throw new TlsException(
            TlsException.Reason.INVALID_CREDENTIALS,
            describe() + " lacks " + key + "; delete it and enroll again with a bootstrap token");
      }
    }
    Pem.TlsMaterial key =
        AgentCredentials.readPem(KaproSecrets.decode(data.get("tls.key")), describe() + " tls.key");
    Pem.TlsMaterial chain =
        AgentCredentials.readPem(KaproSecrets.decode(data.get("tls.crt")), describe() + " tls.crt");
    Pem.TlsMaterial anchors =
        AgentCredentials.readPem(KaproSecrets.decode(data.get("ca.crt")), describe() + " ca.crt");
    return Optional.of(
        new AgentCredentials(key.key(), chain.certificates(), anchors.certificates()));
  }

  @Override
  public void save(AgentCredentials credentials) {
    Map<String, String> text = new LinkedHashMap<>();
    text.put("tls.key", Pem.privateKeyPem(credentials.key()));
    text.put("tls.crt", Pem.certificates(credentials.chain()));
    text.put("ca.crt", Pem.certificates(credentials.trustAnchors()));
    Secret secret =
        KaproSecrets.of(namespace, name, "agent-credentials", "kubernetes.io/tls", text);
    try {
      SecretWrites.createOrUpdate(client, secret);
    } catch (KubernetesClientException e) {
      throw new TlsException(
          TlsException.Reason.STORE_FAILED,
          "cannot write " + describe() + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public String describe() {
    return "Secret " + namespace + "/" + name;
  }
}
