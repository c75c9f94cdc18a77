package io.kapro.agent.bundle;

import io.kapro.agent.kube.KubeClient;
import io.kapro.agent.kube.KubeException;
import io.kapro.agent.tls.SecretWrites;
import io.kapro.oci.bundle.Digests;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The high-water mark in a Secret of the agent's cluster ({@code stringData} sequence, digest). */
public final class SecretHighWaterMarkStore implements HighWaterMarkStore {
  private final KubeClient client;
  private final String namespace;
  private final String name;

  public SecretHighWaterMarkStore(KubeClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  @Override
  public Optional<HighWaterMark> load() {
    Map<String, String> data;
    try {
      data = SecretWrites.read(client, namespace, name).orElse(Map.of());
    } catch (KubeException e) {
      throw new BundleStateException("cannot read " + describe() + ": " + e.getMessage(), e);
    }
    if (data.isEmpty()) {
      return Optional.empty(); // absent, or created empty by the chart
    }
    String seq = data.get("sequence");
    String digest = data.get("digest");
    if (!HighWaterMark.isStoredSequence(seq) || digest == null || !Digests.isSha256(digest)) {
      throw new BundleStateException(
          describe()
              + " does not hold a sequence and a sha256 digest; delete it to trust the state"
              + " directory copy");
    }
    return Optional.of(new HighWaterMark(Long.parseLong(seq), digest));
  }

  @Override
  public void save(HighWaterMark mark) {
    Map<String, String> text = new LinkedHashMap<>();
    text.put("sequence", Long.toString(mark.sequence()));
    text.put("digest", mark.digest());
    try {
      SecretWrites.createOrUpdate(client, namespace, name, "agent-state", "Opaque", text);
    } catch (KubeException e) {
      throw new BundleStateException("cannot write " + describe() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "Secret " + namespace + "/" + name;
  }
}
