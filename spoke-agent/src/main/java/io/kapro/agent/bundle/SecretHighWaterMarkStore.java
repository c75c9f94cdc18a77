package io.kapro.agent.bundle;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kapro.api.KaproSecrets;
import io.kapro.oci.bundle.Digests;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The high-water mark in a Secret of the agent's cluster ({@code stringData} sequence, digest). */
public final class SecretHighWaterMarkStore implements HighWaterMarkStore {
  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  public SecretHighWaterMarkStore(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  @Override
  public Optional<HighWaterMark> load() {
    Secret s;
    try {
      s = client.secrets().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new BundleStateException("cannot read " + describe() + ": " + e.getMessage(), e);
    }
    if (s == null || s.getData() == null || s.getData().isEmpty()) {
      return Optional.empty(); // absent, or created empty by the chart
    }
    Map<String, String> data = s.getData();
    String seq = decode(data.get("sequence"));
    String digest = decode(data.get("digest"));
    if (!HighWaterMark.isStoredSequence(seq) || digest == null || !Digests.isSha256(digest)) {
      throw new BundleStateException(
          describe()
              + " does not hold a sequence and a sha256 digest; delete it to trust the state"
              + " directory copy");
    }
    return Optional.of(new HighWaterMark(Long.parseLong(seq), digest));
  }

  private static String decode(String b64) {
    if (b64 == null) {
      return null;
    }
    try {
      return KaproSecrets.decode(b64);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public void save(HighWaterMark mark) {
    Map<String, String> text = new LinkedHashMap<>();
    text.put("sequence", Long.toString(mark.sequence()));
    text.put("digest", mark.digest());
    Secret s = KaproSecrets.of(namespace, name, "agent-state", "Opaque", text);
    try {
      io.kapro.agent.tls.SecretWrites.createOrUpdate(client, s);
    } catch (KubernetesClientException e) {
      throw new BundleStateException("cannot write " + describe() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "Secret " + namespace + "/" + name;
  }
}
