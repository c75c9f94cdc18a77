package io.kapro.oci.store;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.bundle.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import land.oras.ContainerRef;
import land.oras.Layer;
import land.oras.Manifest;
import land.oras.Registry;
import land.oras.exception.OrasException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BundleStore} on an OCI distribution registry, through oras-java. HTTPS by default (with
 * an optional extra CA), plain HTTP only when the config asks for it; anonymous, basic or bearer
 * authentication. Library errors are rewritten into messages naming the registry, the operation and
 * what to check.
 */
public final class RegistryStore implements BundleStore {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryStore.class);

  private static final int CATALOG_PAGE = 100;
  private static final int MAX_REPOSITORIES = 100_000;

  private final RegistryConfig config;
  private final Registry registry;
  private final HttpClient http;
  private final RegistryAuth auth;

  public RegistryStore(RegistryConfig config) {
    this.config = config;
    HttpClient.Builder http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(15))
            .followRedirects(HttpClient.Redirect.NORMAL);
    if (!config.plainHttp()) {
      http.sslContext(RegistryTls.context(config));
    }
    this.http = http.build();
    this.auth = new RegistryAuth(config, this.http);
    Registry.Builder b =
        Registry.builder()
            .withRegistry(config.host())
            .withInsecure(config.plainHttp())
            .withAuthProvider(auth);
    if (config.caFile() != null) {
      b.withCaFile(config.caFile());
    }
    this.registry = b.build();
  }

  public RegistryConfig config() {
    return config;
  }

  @Override
  public String location() {
    return config.baseUrl();
  }

  @Override
  public void putBlob(String repository, byte[] content) {
    String digest = Digests.sha256(content);
    ContainerRef ref = ref(repository, "@" + digest);
    call(
        "push blob " + digest + " to " + repository,
        () -> {
          Layer layer = registry.pushBlob(ref, content);
          if (!digest.equals(layer.getDigest())) {
            throw new OciException(
                Reason.PROTOCOL_ERROR,
                "registry "
                    + location()
                    + " stored blob as "
                    + layer.getDigest()
                    + ", expected "
                    + digest);
          }
          return layer;
        });
  }

  @Override
  public void putManifest(String repository, String reference, byte[] manifest) {
    if (reference.startsWith("sha256:") && !Digests.sha256(manifest).equals(reference)) {
      throw new OciException(
          Reason.INVALID_INPUT, "manifest bytes do not hash to the reference " + reference);
    }
    ContainerRef ref = ref(repository, separator(reference) + reference);
    String json = new String(manifest, StandardCharsets.UTF_8);
    call(
        "push manifest " + reference + " to " + repository,
        () -> registry.pushManifest(ref, Manifest.fromJson(json)));
    LOG.debug("pushed manifest {}:{} to {}", repository, reference, location());
  }

  @Override
  public Optional<Descriptor> resolve(String repository, String reference) {
    ContainerRef ref = ref(repository, separator(reference) + reference);
    try {
      land.oras.Descriptor d =
          call(
              "resolve " + repository + separator(reference) + reference,
              () -> registry.probeDescriptor(ref));
      long size = d.getSize() == null ? -1 : d.getSize();
      return Optional.of(new Descriptor(d.getMediaType(), d.getDigest(), size));
    } catch (OciException e) {
      if (e.reason() == Reason.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public byte[] fetchManifest(String repository, String reference, long maxBytes) {
    String what = "manifest " + repository + separator(reference) + reference;
    Descriptor head =
        resolve(repository, reference)
            .orElseThrow(
                () ->
                    new OciException(
                        Reason.NOT_FOUND, "registry " + location() + ": " + what + " not found"));
    if (head.size() > maxBytes) {
      throw Bounded.tooLarge(what, maxBytes);
    }
    ContainerRef ref = ref(repository, separator(reference) + reference);
    land.oras.Descriptor d = call("fetch " + what, () -> registry.getDescriptor(ref));
    byte[] bytes = d.getJson().getBytes(StandardCharsets.UTF_8);
    if (bytes.length > maxBytes) {
      throw Bounded.tooLarge(what, maxBytes);
    }
    return bytes;
  }

  @Override
  public byte[] fetchBlob(String repository, String digest, long maxBytes) {
    Digests.requireSha256(digest, "blob digest");
    ContainerRef ref = ref(repository, "@" + digest);
    String what = "blob " + digest + " in " + repository;
    return call(
        "fetch " + what,
        () -> {
          try (InputStream in = registry.fetchBlob(ref)) {
            return Bounded.read(in, maxBytes, what);
          } catch (IOException e) {
            throw new OrasException("reading " + what, e);
          }
        });
  }

  @Override
  public List<String> listTags(String repository) {
    ContainerRef ref = ref(repository, ":" + BundleRepository.DESIRED_TAG);
    try {
      List<String> tags = call("list tags of " + repository, () -> registry.getTags(ref).tags());
      return tags == null ? List.of() : List.copyOf(tags);
    } catch (OciException e) {
      if (e.reason() == Reason.NOT_FOUND) {
        return List.of();
      }
      throw e;
    }
  }

  @Override
  public boolean hasBlob(String repository, String digest) {
    Digests.requireSha256(digest, "blob digest");
    ContainerRef ref = ref(repository, "@" + digest);
    try {
      call("check blob " + digest + " in " + repository, () -> registry.fetchBlobDescriptor(ref));
      return true;
    } catch (OciException e) {
      if (e.reason() == Reason.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  /** The registry's catalog ({@code /v2/_catalog}, all pages), sorted. */
  @Override
  public List<String> repositories() {
    return new RegistryCatalog(config, http, auth, CATALOG_PAGE, MAX_REPOSITORIES).list();
  }

  private ContainerRef ref(String repository, String suffix) {
    BundleRepository.requireRepository(repository);
    return ContainerRef.parse(config.host() + "/" + repository + suffix);
  }

  private static String separator(String reference) {
    return reference.startsWith("sha256:") ? "@" : ":";
  }

  private <T> T call(String what, Supplier<T> op) {
    try {
      return op.get();
    } catch (RuntimeException e) {
      throw RegistryErrors.translate(config, what, e);
    }
  }

  @Override
  public String toString() {
    return "RegistryStore[" + location() + "]";
  }
}
