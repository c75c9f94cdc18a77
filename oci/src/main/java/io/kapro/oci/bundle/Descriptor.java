package io.kapro.oci.bundle;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An OCI content descriptor.
 *
 * @param mediaType media type of the referenced content
 * @param digest {@code sha256:<hex>}
 * @param size size in bytes
 * @param annotations annotations (empty when none), sorted
 */
public record Descriptor(
    String mediaType, String digest, long size, Map<String, String> annotations) {
  public Descriptor {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(digest, "digest");
    annotations =
        annotations == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  public Descriptor(String mediaType, String digest, long size) {
    this(mediaType, digest, size, Map.of());
  }

  /** The descriptor of some bytes. */
  public static Descriptor of(String mediaType, byte[] content) {
    return new Descriptor(mediaType, Digests.sha256(content), content.length, Map.of());
  }

  public Descriptor withAnnotations(Map<String, String> more) {
    return new Descriptor(mediaType, digest, size, more);
  }
}
