package io.kapro.agent.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kapro.agent.config.BundleSource;
import io.kapro.agent.config.RegistryCredentials;
import io.kapro.oci.OciException;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.store.OciLayoutStore;
import io.kapro.oci.store.RegistryConfig;
import io.kapro.oci.store.RegistryStore;
import io.kapro.oci.verify.ClusterIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** Opens the configured bundle source as a {@link BundleStore} plus the repository to follow. */
public final class BundleSources {
  private BundleSources() {}

  /**
   * An opened source.
   *
   * @param store where bundles are read from
   * @param repository this cluster's repository in it
   */
  public record Opened(BundleStore store, String repository) {}

  /**
   * A registry source reads its repository from the config. A layout path is either the cluster's
   * own layout directory (it holds {@code oci-layout}) or a root holding {@code
   * kapro/<namespace>/<cluster>}.
   */
  public static Opened open(BundleSource source, ClusterIdentity cluster) {
    return switch (source) {
      case BundleSource.Registry r ->
          new Opened(
              new RegistryStore(
                  RegistryConfig.parse(
                          r.url(), r.insecure(), credentials(r), r.caFile().orElse(null))
                      .withAuthHosts(r.authHosts())
                      .withRequestTimeout(r.requestTimeout()),
                  // the HTTP client's tasks on workers that end between polls (issue 22); as
                  // many as it asks for, like its default pool
                  io.kapro.agent.Workers.shortLived("kapro-registry-http", Integer.MAX_VALUE)),
              r.repository());
      case BundleSource.Layout l -> layout(l.path(), cluster);
    };
  }

  private static Opened layout(Path path, ClusterIdentity cluster) {
    Path abs = path.toAbsolutePath().normalize();
    if (Files.isRegularFile(abs.resolve("oci-layout")) && abs.getParent() != null) {
      return new Opened(OciLayoutStore.directory(abs.getParent()), abs.getFileName().toString());
    }
    return new Opened(
        OciLayoutStore.directory(abs),
        BundleRepository.of(BundleRepository.DEFAULT_PREFIX, cluster.namespace(), cluster.name()));
  }

  private static RegistryConfig.Credentials credentials(BundleSource.Registry r) {
    return switch (r.credentials()) {
      case RegistryCredentials.Anonymous a -> new RegistryConfig.Credentials.None();
      case RegistryCredentials.Basic b ->
          new RegistryConfig.Credentials.Basic(b.username(), b.password());
      case RegistryCredentials.DockerConfigFile f -> dockerConfig(f.file(), r.url());
    };
  }

  /** Reads {@code auths[<host>]} of a Docker config.json: {@code auth} or username/password. */
  static RegistryConfig.Credentials dockerConfig(Path file, String url) {
    String host = url.replaceFirst("^https?://", "").replaceFirst("/$", "");
    try {
      JsonNode auths = new ObjectMapper().readTree(Files.readString(file)).path("auths");
      for (String key : new String[] {host, "https://" + host, "http://" + host}) {
        JsonNode entry = auths.path(key);
        if (entry.isMissingNode()) {
          continue;
        }
        if (entry.hasNonNull("auth")) {
          String decoded =
              new String(
                  Base64.getDecoder().decode(entry.get("auth").asText()), StandardCharsets.UTF_8);
          int colon = decoded.indexOf(':');
          if (colon > 0) {
            return new RegistryConfig.Credentials.Basic(
                decoded.substring(0, colon), decoded.substring(colon + 1));
          }
        }
        if (entry.hasNonNull("username") && entry.hasNonNull("password")) {
          return new RegistryConfig.Credentials.Basic(
              entry.get("username").asText(), entry.get("password").asText());
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new OciException(
          OciException.Reason.INVALID_INPUT,
          "registry credentials file " + file + " is not a Docker config.json: " + e.getMessage());
    }
    throw new OciException(
        OciException.Reason.INVALID_INPUT,
        "registry credentials file " + file + " has no auths entry for " + host);
  }
}
