package io.kapro.oci.store;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import java.nio.file.Path;

/** Opens the store a location string names (for the CLI and configuration files). */
public final class BundleStores {
  private BundleStores() {}

  /**
   * {@code oci:<dir>} or {@code oci:<file>.tar} opens an OCI layout directory or tar; anything else
   * is a registry ({@code host[:port]}, {@code https://host}, or {@code http://host} with {@code
   * insecure}).
   *
   * @param insecure allow plain HTTP for a registry
   * @param credentials registry credentials (null for anonymous)
   * @param caFile extra CA for registry TLS (null for the JDK's)
   */
  public static BundleStore open(
      String location, boolean insecure, RegistryConfig.Credentials credentials, Path caFile) {
    if (location == null || location.isBlank()) {
      throw new OciException(
          Reason.INVALID_INPUT,
          "store location is empty; give a registry (host:port) or oci:<path>");
    }
    if (location.startsWith("oci:")) {
      Path p = Path.of(location.substring("oci:".length()));
      return p.getFileName() != null && p.getFileName().toString().endsWith(".tar")
          ? OciLayoutStore.tar(p)
          : OciLayoutStore.directory(p);
    }
    return new RegistryStore(RegistryConfig.parse(location, insecure, credentials, caFile));
  }
}
