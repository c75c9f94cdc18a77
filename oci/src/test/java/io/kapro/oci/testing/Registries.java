package io.kapro.oci.testing;

import io.kapro.oci.store.RegistryConfig;
import io.kapro.oci.store.RegistryConfig.Credentials;

/** Client configuration for a {@link LocalRegistry} (which knows no oci type). */
public final class Registries {
  private Registries() {}

  /** Client config with the registry's scheme, CA and credentials. */
  public static RegistryConfig config(LocalRegistry registry) {
    return config(registry, credentials(registry));
  }

  /** Client config with other credentials (for wrong-password tests). */
  public static RegistryConfig config(LocalRegistry registry, Credentials other) {
    return new RegistryConfig(registry.host(), !registry.tls(), other, registry.caFile());
  }

  /** The credentials the registry expects: basic auth with its user, or none. */
  public static Credentials credentials(LocalRegistry registry) {
    return registry.username() == null
        ? new Credentials.None()
        : new Credentials.Basic(registry.username(), registry.password());
  }
}
