package io.kapro.agent.bundle;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kapro.oci.bundle.Digests;
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
      return new String(
          java.util.Base64.getDecoder().decode(b64), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public void save(HighWaterMark mark) {
    Secret s =
        new SecretBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(name)
            .addToLabels("app.kubernetes.io/part-of", "kapro")
            .addToLabels("app.kubernetes.io/component", "agent-state")
            .endMetadata()
            .withType("Opaque")
            .addToData("sequence", encode(Long.toString(mark.sequence())))
            .addToData("digest", encode(mark.digest()))
            .build();
    try {
      io.kapro.agent.tls.SecretWrites.createOrUpdate(client, s);
    } catch (KubernetesClientException e) {
      throw new BundleStateException("cannot write " + describe() + ": " + e.getMessage(), e);
    }
  }

  private static String encode(String s) {
    return java.util.Base64.getEncoder()
        .encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public String describe() {
    return "Secret " + namespace + "/" + name;
  }
}
