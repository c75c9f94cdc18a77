package io.kapro.oci.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.CanonicalJson;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.bundle.MediaTypes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import land.oras.ContainerRef;
import land.oras.Layer;
import land.oras.Manifest;
import land.oras.Registry;
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
  private static final long MAX_TAGS_BYTES = 4L * 1024 * 1024;
  private static final Map<String, String> MANIFEST_ACCEPT =
      Map.of(
          "Accept",
          String.join(
              ", ",
              MediaTypes.OCI_MANIFEST,
              MediaTypes.OCI_INDEX,
              "application/vnd.docker.distribution.manifest.v2+json"));

  private final RegistryConfig config;

  /**
   * The oras-java client, built on the first push: reads go through {@link RegistryHttp}, so a
   * reader (the agent in connected mode) never loads oras-java, its Jackson 3 and its TOML parser
   * (issue 22: about 700 classes of metadata in every agent).
   */
  /** The most round trips one push makes; its deadline is this many request timeouts. */
  static final int PUSH_ROUND_TRIPS = 3;

  private volatile Registry registry;

  private final RegistryHttp http;
  private final RegistryAuth auth;

  public RegistryStore(RegistryConfig config) {
    this(config, null);
  }

  /**
   * @param httpExecutor runs the JDK HTTP client's asynchronous tasks; null for the client's own
   *     cached pool (platform threads that stay 60 s after their last task). A caller that reads
   *     little and often (an agent's poll) can give virtual threads and keep no idle worker.
   */
  public RegistryStore(RegistryConfig config, java.util.concurrent.Executor httpExecutor) {
    this.config = config;
    HttpClient.Builder http =
        HttpClient.newBuilder()
            .connectTimeout(min(Duration.ofSeconds(15), config.requestTimeout()))
            .followRedirects(HttpClient.Redirect.NEVER);
    if (httpExecutor != null) {
      http.executor(httpExecutor);
    }
    if (!config.plainHttp()) {
      http.sslContext(RegistryTls.context(config));
    }
    this.http = new RegistryHttp(config, http.build());
    this.auth = new RegistryAuth(config, this.http);
  }

  private Registry registry() {
    Registry r = registry;
    if (r == null) {
      synchronized (this) {
        r = registry;
        if (r == null) {
          Registry.Builder b =
              Registry.builder()
                  .withRegistry(config.host())
                  .withInsecure(config.plainHttp())
                  .withAuthProvider(auth);
          if (config.caFile() != null) {
            b.withCaFile(config.caFile());
          }
          r = b.build();
          registry = r;
        }
      }
    }
    return r;
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
          Layer layer = registry().pushBlob(ref, content);
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
        () -> registry().pushManifest(ref, Manifest.fromJson(json)));
    LOG.debug("pushed manifest {}:{} to {}", repository, reference, location());
  }

  @Override
  public Optional<Descriptor> resolve(String repository, String reference) {
    String what = "resolve " + repository + separator(reference) + reference;
    RegistryHttp.Reply r =
        read("HEAD", repository, "/manifests/" + reference, MANIFEST_ACCEPT, 0, what);
    if (r.status() == 404) {
      return Optional.empty();
    }
    requireOk(r, what);
    String digest = r.headers().firstValue("Docker-Content-Digest").orElse(null);
    long size = r.headers().firstValueAsLong("Content-Length").orElse(-1);
    String mediaType =
        r.headers().firstValue("Content-Type").orElse(MediaTypes.OCI_MANIFEST).split(";", 2)[0];
    if (digest == null) {
      if (!reference.startsWith("sha256:")) {
        throw new OciException(
            Reason.PROTOCOL_ERROR,
            "registry "
                + location()
                + ": "
                + what
                + ": no Docker-Content-Digest header; check that this is an OCI distribution"
                + " registry");
      }
      digest = reference;
    }
    Digests.requireSha256(digest, "Docker-Content-Digest of " + repository + ":" + reference);
    return Optional.of(new Descriptor(mediaType.strip(), digest, size));
  }

  @Override
  public byte[] fetchManifest(String repository, String reference, long maxBytes) {
    String what = "manifest " + repository + separator(reference) + reference;
    RegistryHttp.Reply r =
        read("GET", repository, "/manifests/" + reference, MANIFEST_ACCEPT, maxBytes, what);
    if (r.status() == 404) {
      throw new OciException(
          Reason.NOT_FOUND, "registry " + location() + ": " + what + " not found");
    }
    requireOk(r, "fetch " + what);
    return r.body();
  }

  @Override
  public byte[] fetchBlob(String repository, String digest, long maxBytes) {
    Digests.requireSha256(digest, "blob digest");
    String what = "blob " + digest + " in " + repository;
    RegistryHttp.Reply r = read("GET", repository, "/blobs/" + digest, Map.of(), maxBytes, what);
    requireOk(r, "fetch " + what);
    return r.body();
  }

  @Override
  public List<String> listTags(String repository) {
    String what = "list tags of " + repository;
    RegistryHttp.Reply r =
        read(
            "GET",
            repository,
            "/tags/list",
            Map.of("Accept", "application/json"),
            MAX_TAGS_BYTES,
            what);
    if (r.status() == 404) {
      return List.of();
    }
    requireOk(r, what);
    try {
      JsonNode tags = CanonicalJson.readStrict(r.body()).path("tags");
      List<String> out = new ArrayList<>();
      if (tags.isArray()) {
        for (JsonNode t : tags) {
          if (!t.isTextual()) {
            throw new IOException("tags entry is not a string");
          }
          out.add(t.textValue());
        }
      } else if (!tags.isMissingNode() && !tags.isNull()) {
        throw new IOException("tags is not an array");
      }
      return List.copyOf(out);
    } catch (IOException e) {
      throw new OciException(
          Reason.PROTOCOL_ERROR,
          "registry " + location() + ": " + what + " answered nonsense: " + e.getMessage());
    }
  }

  @Override
  public boolean hasBlob(String repository, String digest) {
    Digests.requireSha256(digest, "blob digest");
    String what = "check blob " + digest + " in " + repository;
    RegistryHttp.Reply r = read("HEAD", repository, "/blobs/" + digest, Map.of(), 0, what);
    if (r.status() == 404) {
      return false;
    }
    requireOk(r, what);
    return true;
  }

  /** A bounded, timed read of {@code /v2/<repository><path>} with pull credentials. */
  private RegistryHttp.Reply read(
      String method,
      String repository,
      String path,
      Map<String, String> headers,
      long maxBytes,
      String what) {
    BundleRepository.requireRepository(repository);
    URI uri = URI.create(config.baseUrl() + "/v2/" + repository + path);
    return http.send(
        method, uri, headers, auth.headerFor("repository:" + repository + ":pull"), maxBytes, what);
  }

  private void requireOk(RegistryHttp.Reply r, String what) {
    if (r.status() < 200 || r.status() >= 300) {
      throw RegistryErrors.forStatus(
          config, "registry " + location() + ": " + what + " failed: ", r.status(), null);
    }
  }

  /**
   * Every tag of {@code repository}, all pages (following {@code Link: rel="next"}), in the
   * registry's order; refused with TOO_LARGE past {@code max} tags, NOT_FOUND for an unknown
   * repository.
   */
  public List<String> listAllTags(String repository, int page, int max) {
    BundleRepository.requireRepository(repository);
    return new RegistryTags(config, http, auth).list(repository, page, max);
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

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String separator(String reference) {
    return reference.startsWith("sha256:") ? "@" : ":";
  }

  /**
   * A push through oras-java, which has no per-request timeout of its own: it runs on a virtual
   * thread and is cut (interrupted) after {@value #PUSH_ROUND_TRIPS} request timeouts, the most
   * round trips one push makes (a blob: HEAD, then POST and PUT; a manifest: PUT, with an auth
   * challenge before it), so a registry that stalls can never hold a publisher thread for ever.
   */
  private <T> T call(String what, Supplier<T> op) {
    FutureTask<T> task = new FutureTask<>(op::get);
    Thread.ofVirtual().name("kapro-registry-push").start(task);
    Duration deadline = config.requestTimeout().multipliedBy(PUSH_ROUND_TRIPS);
    try {
      return task.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      task.cancel(true);
      throw new OciException(
          Reason.UNREACHABLE,
          "registry "
              + location()
              + ": "
              + what
              + " failed: not done within "
              + deadline.toMillis()
              + " ms ("
              + PUSH_ROUND_TRIPS
              + " × registry.requestTimeout; the registry stalls); check the registry and the"
              + " network path, or raise registry.requestTimeout");
    } catch (InterruptedException e) {
      task.cancel(true);
      Thread.currentThread().interrupt();
      throw new OciException(
          Reason.UNREACHABLE, "registry " + location() + ": " + what + " interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw RegistryErrors.translate(config, what, re);
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw RegistryErrors.translate(config, what, new IllegalStateException(e.getCause()));
    }
  }

  @Override
  public String toString() {
    return "RegistryStore[" + location() + "]";
  }
}
