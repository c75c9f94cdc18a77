package io.kapro.agent.config;

import java.nio.file.Path;
import java.util.Optional;

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
   */
  record Registry(
      String url,
      String repository,
      boolean insecure,
      RegistryCredentials credentials,
      Optional<Path> caFile)
      implements BundleSource {}

  /**
   * An OCI image layout directory (the air-gap path).
   *
   * @param path absolute path of the layout directory
   */
  record Layout(Path path) implements BundleSource {}
}
