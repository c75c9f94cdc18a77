package io.kapro.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Where the agent pulls its bundles from: a registry, or an OCI image layout on disk. */
public sealed interface BundleSource {

  /**
   * An OCI distribution registry.
   *
   * @param url registry base, {@code host:port} or {@code https://host[:port]}
   * @param repository this cluster's repository, for example {@code kapro/team-a/prod-eu-1}
   * @param insecure plain HTTP instead of TLS
   * @param credentials how to authenticate
   * @param caFile PEM CA bundle to trust for the registry's TLS certificate, if given
   * @param authHosts other host names that may receive the credentials (a token server elsewhere)
   * @param requestTimeout the most one registry request may take, body included
   */
  record Registry(
      String url,
      String repository,
      boolean insecure,
      RegistryCredentials credentials,
      Optional<Path> caFile,
      Set<String> authHosts,
      Duration requestTimeout)
      implements BundleSource {
    public Registry(
        String url,
        String repository,
        boolean insecure,
        RegistryCredentials credentials,
        Optional<Path> caFile) {
      this(
          url,
          repository,
          insecure,
          credentials,
          caFile,
          Set.of(),
          io.kapro.oci.store.RegistryConfig.DEFAULT_REQUEST_TIMEOUT);
    }

    public Registry {
      authHosts = Set.copyOf(authHosts);
    }
  }

  /**
   * An OCI image layout directory (the air-gap path).
   *
   * @param path absolute path of the layout directory
   */
  record Layout(Path path) implements BundleSource {}
}
