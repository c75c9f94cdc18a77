package io.kapro.agent.tls;

import io.kapro.agent.kube.KubeClient;
import io.kapro.agent.kube.KubeException;
import io.kapro.oci.sign.Pem;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials in a {@code kubernetes.io/tls} Secret in the agent's cluster: {@code tls.key}, {@code
 * tls.crt} (chain) and {@code ca.crt} (trust anchors).
 */
public final class SecretCredentialStore implements CredentialStore {
  private final KubeClient client;
  private final String namespace;
  private final String name;

  public SecretCredentialStore(KubeClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  @Override
  public Optional<AgentCredentials> load() {
    Map<String, String> data;
    try {
      data = SecretWrites.read(client, namespace, name).orElse(Map.of());
    } catch (KubeException e) {
      throw new TlsException(
          TlsException.Reason.STORE_FAILED, "cannot read " + describe() + ": " + e.getMessage(), e);
    }
    if (data.isEmpty()) {
      return Optional.empty(); // absent, or created empty by the chart
    }
    for (String key : new String[] {"tls.key", "tls.crt", "ca.crt"}) {
      if (!data.containsKey(key)) {
        throw new TlsException(
            TlsException.Reason.INVALID_CREDENTIALS,
            describe() + " lacks " + key + "; delete it and enroll again with a bootstrap token");
      }
    }
    Pem.TlsMaterial key = AgentCredentials.readPem(data.get("tls.key"), describe() + " tls.key");
    Pem.TlsMaterial chain = AgentCredentials.readPem(data.get("tls.crt"), describe() + " tls.crt");
    Pem.TlsMaterial anchors = AgentCredentials.readPem(data.get("ca.crt"), describe() + " ca.crt");
    return Optional.of(
        new AgentCredentials(key.key(), chain.certificates(), anchors.certificates()));
  }

  @Override
  public void save(AgentCredentials credentials) {
    Map<String, String> text = new LinkedHashMap<>();
    text.put("tls.key", Pem.privateKeyPem(credentials.key()));
    text.put("tls.crt", Pem.certificates(credentials.chain()));
    text.put("ca.crt", Pem.certificates(credentials.trustAnchors()));
    try {
      SecretWrites.createOrUpdate(
          client, namespace, name, "agent-credentials", "kubernetes.io/tls", text);
    } catch (KubeException e) {
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
