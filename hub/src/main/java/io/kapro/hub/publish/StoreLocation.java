package io.kapro.hub.publish;

import io.kapro.api.v1alpha2.FleetSpec;
import io.kapro.oci.bundle.BundleRepository;

/** Where a Fleet's bundles go: an OCI registry or an OCI image layout directory. */
public sealed interface StoreLocation {

  /** The repository prefix bundles go under. */
  String repositoryPrefix();

  /**
   * A registry.
   *
   * @param credentialsSecret Secret of type kubernetes.io/dockerconfigjson, or null
   * @param caSecret Secret whose {@code ca.crt} is trusted, or null
   * @param authHosts other host names that may receive the credentials
   * @param allowPrivateNetwork whether the registry may be in a private network
   */
  record Registry(
      String url,
      String repositoryPrefix,
      boolean insecure,
      String credentialsSecret,
      String caSecret,
      java.util.Set<String> authHosts,
      boolean allowPrivateNetwork)
      implements StoreLocation {
    public Registry(
        String url,
        String repositoryPrefix,
        boolean insecure,
        String credentialsSecret,
        String caSecret) {
      this(url, repositoryPrefix, insecure, credentialsSecret, caSecret, java.util.Set.of(), false);
    }
  }

  /** An OCI image layout directory (the air-gap path). */
  record Layout(String path) implements StoreLocation {
    @Override
    public String repositoryPrefix() {
      return BundleRepository.DEFAULT_PREFIX;
    }
  }

  static StoreLocation of(FleetSpec spec, String where) {
    if ((spec.getRegistry() == null) == (spec.getLayout() == null)) {
      throw FleetConfig.invalid(where + ": set exactly one of spec.registry or spec.layout");
    }
    if (spec.getLayout() != null) {
      String path = spec.getLayout().getPath();
      if (FleetConfig.blank(path) || !path.startsWith("/")) {
        throw FleetConfig.invalid(
            where + ": spec.layout.path must be an absolute directory path, got '" + path + "'");
      }
      return new Layout(path);
    }
    var r = spec.getRegistry();
    if (FleetConfig.blank(r.getUrl())) {
      throw FleetConfig.invalid(where + ": spec.registry.url is empty; set host[:port] or a URL");
    }
    return new Registry(
        r.getUrl(),
        FleetConfig.blank(r.getRepositoryPrefix())
            ? BundleRepository.DEFAULT_PREFIX
            : r.getRepositoryPrefix(),
        Boolean.TRUE.equals(r.getInsecure()),
        r.getCredentialsSecretRef() == null ? null : r.getCredentialsSecretRef().getName(),
        r.getCaSecretRef() == null ? null : r.getCaSecretRef().getName(),
        r.getAuthHosts() == null ? java.util.Set.of() : java.util.Set.copyOf(r.getAuthHosts()),
        Boolean.TRUE.equals(r.getAllowPrivateNetwork()));
  }
}
