package io.kapro.hub.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.hub.kube.TenantSecrets;
import io.kapro.hub.webhook.DestinationGuard;
import io.kapro.oci.OciException;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.store.OciLayoutStore;
import io.kapro.oci.store.RegistryConfig;
import io.kapro.oci.store.RegistryConfig.Credentials;
import io.kapro.oci.store.RegistryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * One {@link BundleStore} per Fleet location, cached; reopened when the location or one of its
 * Secrets (credentials, CA) changes. Credentials come from a {@code kubernetes.io/dockerconfigjson}
 * Secret, the registry CA from a Secret's {@code ca.crt}.
 */
public final class FleetStores implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Key(StoreLocation location, String credentialsVersion, String caVersion) {}

  private final KubernetesClient client;
  private final UnaryOperator<BundleStore> wrap;
  private final java.util.function.Function<Boolean, DestinationGuard> guardFactory =
      DestinationGuard::system;
  private final Map<String, Key> keyByFleet = new ConcurrentHashMap<>();
  private final Map<String, java.time.Instant> checkedAt = new ConcurrentHashMap<>();
  private final Map<Key, BundleStore> stores = new ConcurrentHashMap<>();
  private volatile java.time.Duration recheck = java.time.Duration.ZERO;
  private volatile java.time.Clock clock = java.time.Clock.systemUTC();

  public FleetStores(KubernetesClient client) {
    this(client, UnaryOperator.identity());
  }

  /**
   * @param wrap decorates every store opened (metrics, fault injection in tests)
   */
  public FleetStores(KubernetesClient client, UnaryOperator<BundleStore> wrap) {
    this.client = client;
    this.wrap = wrap;
  }

  /**
   * Reads a Fleet's credentials and CA Secrets at most once per {@code every} while its location
   * stays the same (the publisher's: no Secret read per bundle; a rotated Secret is picked up
   * within {@code every}); by default they are read on every {@link #open}.
   */
  public FleetStores recheckingSecretsEvery(java.time.Duration every, java.time.Clock clock) {
    this.recheck = every;
    this.clock = clock;
    return this;
  }

  /** The store of the Fleet's location. */
  public synchronized BundleStore open(FleetConfig fleet) {
    String fleetKey = fleet.namespace() + "/" + fleet.name();
    java.time.Instant now = clock.instant();
    Key known = keyByFleet.get(fleetKey);
    java.time.Instant at = checkedAt.get(fleetKey);
    if (known != null
        && at != null
        && known.location().equals(fleet.location())
        && now.isBefore(at.plus(recheck))
        && stores.get(known) != null) {
      return stores.get(known);
    }
    Secret creds = null;
    Secret ca = null;
    if (fleet.location() instanceof StoreLocation.Registry r) {
      creds =
          r.credentialsSecret() == null
              ? null
              : secret(fleet, r.credentialsSecret(), "spec.registry.credentialsSecretRef");
      ca = r.caSecret() == null ? null : secret(fleet, r.caSecret(), "spec.registry.caSecretRef");
    }
    Key key = new Key(fleet.location(), version(creds), version(ca));
    Key old = keyByFleet.put(fleetKey, key);
    checkedAt.put(fleetKey, now);
    if (old != null && !old.equals(key) && !keyByFleet.containsValue(old)) {
      BundleStore gone = stores.remove(old);
      if (gone != null) {
        gone.close();
      }
    }
    BundleStore existing = stores.get(key);
    if (existing != null) {
      return existing;
    }
    BundleStore store = wrap.apply(create(fleet, creds, ca));
    stores.put(key, store);
    return store;
  }

  private BundleStore create(FleetConfig fleet, Secret creds, Secret ca) {
    String where = "Fleet " + fleet.namespace() + "/" + fleet.name();
    try {
      return switch (fleet.location()) {
        case StoreLocation.Layout l -> OciLayoutStore.directory(Path.of(l.path()));
        case StoreLocation.Registry r -> {
          RegistryConfig probe =
              RegistryConfig.parse(r.url(), r.insecure(), null, null).withAuthHosts(r.authHosts());
          guard(probe, r, where);
          Credentials c = creds == null ? null : credentials(creds, probe.host(), where);
          Path caFile = ca == null ? null : caFile(ca, where);
          yield new RegistryStore(
              RegistryConfig.parse(r.url(), r.insecure(), c, caFile).withAuthHosts(r.authHosts()));
        }
      };
    } catch (OciException e) {
      throw FleetConfig.invalid(where + ": " + e.getMessage());
    }
  }

  /**
   * The webhook gates' destination guard, applied to the registry and every auth host: no loopback,
   * link-local (cloud metadata) or private address unless the Fleet allows it.
   */
  private void guard(RegistryConfig config, StoreLocation.Registry r, String where) {
    guard(guardFactory.apply(r.allowPrivateNetwork()), config, where, "spec.registry");
  }

  /**
   * The destination guard for a server a Source reads (its host and auth hosts), refusing with a
   * message naming {@code field}.allowPrivateNetwork.
   */
  public static void guard(
      DestinationGuard guard, RegistryConfig config, String where, String field) {
    java.util.List<String> hosts = new java.util.ArrayList<>();
    hosts.add(config.hostName());
    hosts.addAll(new java.util.TreeSet<>(config.authHosts()));
    for (String host : hosts) {
      String refusal =
          guard.refusal(
              java.net.URI.create("https://" + host + "/"),
              "registry",
              "set "
                  + field
                  + ".allowPrivateNetwork: true if this registry is meant to be in a private"
                  + " network");
      if (refusal != null) {
        throw FleetConfig.invalid(
            where
                + ": "
                + field
                + " "
                + (host.equals(config.hostName()) ? "url" : "authHosts entry " + host)
                + ": "
                + refusal);
      }
    }
  }

  /**
   * A registry client for reading another repository than the Fleet's (a Source's), under the same
   * rules as the Fleet's own: the destination guard, pull credentials from a {@code
   * kubernetes.io/dockerconfigjson} Secret and a CA from a Secret's {@code ca.crt}, all in {@code
   * namespace}. The caller closes it.
   *
   * @param field the spec field, for messages (e.g. {@code spec.oci})
   */
  public static RegistryStore openReader(
      KubernetesClient client,
      String namespace,
      StoreLocation.Registry r,
      String where,
      String field) {
    return openReader(client, namespace, r, where, field, RegistryConfig.DEFAULT_REQUEST_TIMEOUT);
  }

  /**
   * {@link #openReader(KubernetesClient, String, StoreLocation.Registry, String, String)} with a
   * per-request deadline.
   */
  public static RegistryStore openReader(
      KubernetesClient client,
      String namespace,
      StoreLocation.Registry r,
      String where,
      String field,
      java.time.Duration requestTimeout) {
    try {
      RegistryConfig probe =
          RegistryConfig.parse(r.url(), r.insecure(), null, null).withAuthHosts(r.authHosts());
      guard(DestinationGuard.system(r.allowPrivateNetwork()), probe, where, field);
      Credentials c =
          r.credentialsSecret() == null
              ? null
              : credentials(
                  namedSecret(client, namespace, r.credentialsSecret(), where, field),
                  probe.host(),
                  where);
      Path caFile =
          r.caSecret() == null
              ? null
              : caFile(namedSecret(client, namespace, r.caSecret(), where, field), where);
      return new RegistryStore(
          RegistryConfig.parse(r.url(), r.insecure(), c, caFile)
              .withAuthHosts(r.authHosts())
              .withRequestTimeout(requestTimeout));
    } catch (OciException e) {
      throw FleetConfig.invalid(where + ": " + field + ": " + e.getMessage());
    }
  }

  /** The CA in Secret {@code name}'s {@code ca.crt}, as a private temp file (for a Source). */
  public static Path caFile(
      KubernetesClient client, String namespace, String name, String where, String field) {
    return caFile(namedSecret(client, namespace, name, where, field), where);
  }

  /** Secret {@code name} a Source names; refused naming {@code field} when absent or forbidden. */
  public static Secret namedSecret(
      KubernetesClient client, String namespace, String name, String where, String field) {
    Secret s = readSecret(client, namespace, name, where + ": " + field);
    if (s == null) {
      throw FleetConfig.invalid(
          where
              + ": "
              + field
              + " names Secret "
              + namespace
              + "/"
              + name
              + ", which does not exist; create it");
    }
    return s;
  }

  private Secret secret(FleetConfig fleet, String name, String field) {
    Secret s =
        readSecret(
            client,
            fleet.namespace(),
            name,
            "Fleet " + fleet.namespace() + "/" + fleet.name() + ": " + field);
    if (s == null) {
      throw FleetConfig.invalid(
          "Fleet "
              + fleet.namespace()
              + "/"
              + fleet.name()
              + ": "
              + field
              + " names Secret "
              + fleet.namespace()
              + "/"
              + name
              + ", which does not exist; create it");
    }
    return s;
  }

  private static String version(Secret s) {
    return s == null
        ? null
        : s.getMetadata().getName() + "@" + s.getMetadata().getResourceVersion();
  }

  static Credentials credentials(Secret s, String host, String where) {
    String name = "Secret " + s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
    String raw = TenantSecrets.text(s, ".dockerconfigjson");
    if (raw == null) {
      throw FleetConfig.invalid(
          where
              + ": "
              + name
              + " has no .dockerconfigjson; make it a kubernetes.io/dockerconfigjson Secret");
    }
    try {
      JsonNode auths = JSON.readTree(raw).path("auths");
      for (String candidate : new String[] {host, "https://" + host, "http://" + host}) {
        JsonNode entry = auths.get(candidate);
        if (entry == null) {
          continue;
        }
        if (entry.hasNonNull("username") && entry.hasNonNull("password")) {
          return new Credentials.Basic(
              entry.get("username").asText(), entry.get("password").asText());
        }
        if (entry.hasNonNull("auth")) {
          String pair =
              new String(
                  Base64.getDecoder().decode(entry.get("auth").asText()), StandardCharsets.UTF_8);
          int colon = pair.indexOf(':');
          if (colon > 0) {
            return new Credentials.Basic(pair.substring(0, colon), pair.substring(colon + 1));
          }
        }
        throw FleetConfig.invalid(
            where
                + ": "
                + name
                + " entry for "
                + candidate
                + " has neither username/password nor auth");
      }
    } catch (IOException | IllegalArgumentException e) {
      throw FleetConfig.invalid(
          where + ": " + name + " .dockerconfigjson is not valid JSON/base64: " + e.getMessage());
    }
    throw FleetConfig.invalid(where + ": " + name + " has no auths entry for registry " + host);
  }

  private static Path caFile(Secret s, String where) {
    String pem = TenantSecrets.text(s, "ca.crt");
    if (pem == null || !pem.contains("BEGIN CERTIFICATE")) {
      throw FleetConfig.invalid(
          where
              + ": Secret "
              + s.getMetadata().getName()
              + " needs a PEM certificate under key ca.crt");
    }
    try {
      Path dir = Files.createTempDirectory("kapro-registry-ca");
      Path file = dir.resolve("ca.crt");
      Files.writeString(file, pem, StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system; the temp directory is private enough
      }
      file.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the registry CA to a temp file", e);
    }
  }

  /**
   * Reads a Secret a Fleet names (null when it does not exist); one the hub may not read is an
   * invalid Fleet naming the chart value that allows it.
   */
  static Secret readSecret(KubernetesClient client, String ns, String name, String where) {
    try {
      return TenantSecrets.read(client, ns, name);
    } catch (TenantSecrets.Forbidden e) {
      throw FleetConfig.invalid(where + ": " + e.getMessage());
    }
  }

  @Override
  public synchronized void close() {
    stores.values().stream().filter(Objects::nonNull).forEach(BundleStore::close);
    stores.clear();
    keyByFleet.clear();
    checkedAt.clear();
  }
}
