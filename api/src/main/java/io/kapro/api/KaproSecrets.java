package io.kapro.api;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Secrets Kapro's components keep state in (the hub CA, an agent's credentials and high-water
 * mark): labelled {@code app.kubernetes.io/part-of=kapro} and {@code app.kubernetes.io/component},
 * text values stored base64 in {@code data}.
 */
public final class KaproSecrets {
  /** The label naming the component that owns the Secret. */
  public static final String LABEL_COMPONENT = "app.kubernetes.io/component";

  /** The label every Kapro-owned Secret carries ({@code kapro}). */
  public static final String LABEL_PART_OF = "app.kubernetes.io/part-of";

  private KaproSecrets() {}

  /**
   * A Secret of {@code type} ({@code kubernetes.io/tls}, {@code Opaque}) holding {@code text}
   * (values encoded as UTF-8, base64), in key order as given.
   */
  public static Secret of(
      String namespace, String name, String component, String type, Map<String, String> text) {
    Map<String, String> data = new LinkedHashMap<>();
    text.forEach((k, v) -> data.put(k, encode(v)));
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .addToLabels(LABEL_PART_OF, "kapro")
        .addToLabels(LABEL_COMPONENT, component)
        .endMetadata()
        .withType(type)
        .withData(data)
        .build();
  }

  /** The text of one base64 {@code data} value. */
  public static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  /** The base64 {@code data} value of a text. */
  public static String encode(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
