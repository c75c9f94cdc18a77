package io.kapro.api.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for kube-apiserver: fabric8's KubernetesMockServer in CRUD mode on 127.0.0.1
 * (free port), with the Kapro CRDs loaded, discovery documents, a minimal OpenAPI v3 document and
 * server-side printing, so that real {@code kubectl} works against it: {@code get} with printer
 * columns, {@code -l}, {@code -A}, {@code -o name|yaml|jsonpath}, {@code create -f}, {@code patch}
 * (also {@code --subresource=status}), {@code label}, {@code delete}. fabric8 clients get CRUD,
 * status updates/patches, watches and informers.
 *
 * <p>It validates nothing (no schema, no CEL, no defaults), and does not do server-side apply,
 * kubectl's client-side {@code apply}, {@code get -w}, or kubectl's generator commands ({@code
 * create namespace}, which send protobuf: answered 415); use manifests with {@code create -f}.
 *
 * <p>Usable from JUnit and from plain code (the e2e demo): {@code try (var api =
 * LocalKubeApi.start()) {...}}; {@link #main} runs one for trying kubectl by hand.
 */
public final class LocalKubeApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalKubeApi.class);

  /** MockWebServer logs every request through java.util.logging at INFO; keep that quiet. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final KubernetesMockServer server;
  private final KubeApiDispatcher dispatcher;
  private final KubernetesClient client;
  private final Path kubeconfig;

  private LocalKubeApi(KubernetesMockServer server, KubeApiDispatcher dispatcher, Path kubeconfig) {
    this.server = server;
    this.dispatcher = dispatcher;
    this.kubeconfig = kubeconfig;
    this.client = newClient("default");
  }

  /**
   * Runs a server until the process is stopped, for trying kubectl by hand: prints the kubeconfig
   * path. Serves the Flux and Argo CD kinds too.
   *
   * @param args unused
   */
  public static void main(String[] args) throws InterruptedException {
    LocalKubeApi api = start(ApiKind.FLUX_AND_ARGO);
    Runtime.getRuntime().addShutdownHook(new Thread(api::close));
    System.out.println("export KUBECONFIG=" + api.kubeconfig());
    System.out.flush();
    new java.util.concurrent.CountDownLatch(1).await();
  }

  /** Starts a server with the seven Kapro CRDs. */
  public static LocalKubeApi start() {
    return start(List.of());
  }

  /**
   * Starts a server with the seven Kapro CRDs and the given extra kinds.
   *
   * @param extraKinds e.g. {@link ApiKind#FLUX_AND_ARGO}
   */
  public static LocalKubeApi start(Collection<ApiKind> extraKinds) {
    KubeApiDispatcher dispatcher = new KubeApiDispatcher(new TableRenderer(Clock.systemUTC()));
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    LocalKubeApi api = null;
    try {
      server.init(InetAddress.getByName("127.0.0.1"), 0);
      dispatcher.serverAddress("127.0.0.1:" + server.getPort());
      Path dir = Files.createTempDirectory("kapro-kubeapi");
      api = new LocalKubeApi(server, dispatcher, dir.resolve("kubeconfig"));
      Files.writeString(api.kubeconfig, api.kubeconfigYaml("default"), StandardCharsets.UTF_8);
      for (CustomResourceDefinition crd : kaproCrds()) {
        api.registerCrd(crd);
      }
      for (ApiKind kind : extraKinds) {
        api.register(kind);
      }
      LOG.info("local Kubernetes API on {} (kubeconfig {})", api.url(), api.kubeconfig);
      return api;
    } catch (IOException | RuntimeException e) {
      if (api != null) {
        api.close();
      } else {
        server.destroy();
      }
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  /** Where fabric8's CRD generator writes {@code <plural>.<group>-v1.yml}. */
  private static final String CRD_DIR = "META-INF/fabric8";

  /** The suffix of the Kapro CRDs' file names (group {@code kapro.io}, CRD API v1). */
  private static final String KAPRO_CRD_SUFFIX = ".kapro.io-v1.yml";

  /**
   * The Kapro CRDs as the build generated them, read from the classpath (the api module's {@code
   * META-INF/fabric8/<plural>.kapro.io-v1.yml}), ordered by file name. This module depends on no
   * Kapro module, so it finds them by listing that directory in every classpath entry.
   */
  public static List<CustomResourceDefinition> kaproCrds() {
    ClassLoader loader = LocalKubeApi.class.getClassLoader();
    TreeSet<String> resources = new TreeSet<>();
    try {
      Enumeration<URL> dirs = loader.getResources(CRD_DIR);
      while (dirs.hasMoreElements()) {
        resources.addAll(crdFiles(dirs.nextElement()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (resources.isEmpty()) {
      throw new IllegalStateException(
          "no "
              + CRD_DIR
              + "/*"
              + KAPRO_CRD_SUFFIX
              + " on the classpath; put kapro-api on it and build it (./mvnw -pl api"
              + " process-classes)");
    }
    List<CustomResourceDefinition> out = new ArrayList<>();
    var serialization = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
    for (String resource : resources) {
      try (InputStream in = loader.getResourceAsStream(resource)) {
        out.add(serialization.unmarshal(in, CustomResourceDefinition.class));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** The Kapro CRD resource names under one classpath entry's {@code META-INF/fabric8}. */
  private static List<String> crdFiles(URL dir) throws IOException {
    switch (dir.getProtocol()) {
      case "file" -> {
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
          return files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.endsWith(KAPRO_CRD_SUFFIX))
              .map(n -> CRD_DIR + "/" + n)
              .toList();
        } catch (URISyntaxException e) {
          throw new IOException(dir + ": " + e.getMessage(), e);
        }
      }
      case "jar" -> {
        JarURLConnection c = (JarURLConnection) dir.openConnection();
        c.setUseCaches(false);
        try (JarFile jar = c.getJarFile()) {
          return jar.stream()
              .map(JarEntry::getName)
              .filter(n -> n.startsWith(CRD_DIR + "/") && n.endsWith(KAPRO_CRD_SUFFIX))
              .filter(n -> n.indexOf('/', CRD_DIR.length() + 1) < 0)
              .toList();
        }
      }
      default -> {
        return List.of();
      }
    }
  }

  /** Creates a CRD on the server; its kind is then served, discoverable and printed as a Table. */
  public void registerCrd(CustomResourceDefinition crd) {
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
  }

  /**
   * Registers an extra kind (open schema, status subresource), e.g. {@link
   * ApiKind#FLUX_HELM_RELEASE}.
   */
  public void register(ApiKind kind) {
    registerCrd(
        new CustomResourceDefinitionBuilder()
            .withNewMetadata()
            .withName(kind.plural() + "." + kind.group())
            .endMetadata()
            .withNewSpec()
            .withGroup(kind.group())
            .withScope(kind.namespaced() ? "Namespaced" : "Cluster")
            .withNewNames()
            .withKind(kind.kind())
            .withPlural(kind.plural())
            .withSingular(kind.kind().toLowerCase())
            .endNames()
            .addNewVersion()
            .withName(kind.version())
            .withServed(true)
            .withStorage(true)
            .withNewSubresources()
            .withNewStatus()
            .endStatus()
            .endSubresources()
            .withNewSchema()
            .withNewOpenAPIV3Schema()
            .withType("object")
            .withXKubernetesPreserveUnknownFields(true)
            .endOpenAPIV3Schema()
            .endSchema()
            .endVersion()
            .endSpec()
            .build());
  }

  /**
   * From now on answers requests whose path starts with {@code pathPrefix} (and whose method is
   * {@code method}, or any method when null) with 403 Forbidden, as RBAC would. For testing how
   * clients report a denial; {@link #allowAll()} lifts every such rule.
   *
   * @param method HTTP method such as {@code POST}, or null for all
   * @param pathPrefix e.g. {@code /apis/kapro.io/v1alpha2/namespaces/default/promotions}
   */
  public void forbid(String method, String pathPrefix) {
    dispatcher.forbid(method, pathPrefix);
  }

  /** Lifts every {@link #forbid} rule. */
  public void allowAll() {
    dispatcher.allowAll();
  }

  /**
   * From now on answers {@code fraction} of the requests whose method is one of {@code methods} and
   * whose path (without query) matches {@code path} with 409 Conflict, as kube-apiserver does when
   * a write carries a stale resourceVersion; the request is not applied. For testing how clients
   * cope with lost write races (fault injection); {@link #noConflicts()} lifts every such rule.
   *
   * @param methods e.g. {@code Set.of("PUT", "PATCH")}
   * @param path e.g. {@code /apis/kapro\.io/v1alpha2/namespaces/[^/]+/targets/[^/]+/status}
   * @param fraction from 0 to 1
   * @param seed for the random draw, so a run can be repeated
   */
  public void conflict(java.util.Set<String> methods, String path, double fraction, long seed) {
    if (fraction < 0 || fraction > 1) {
      throw new IllegalArgumentException("conflict fraction must be in [0, 1], got " + fraction);
    }
    dispatcher.conflict(
        java.util.Set.copyOf(methods), java.util.regex.Pattern.compile(path), fraction, seed);
  }

  /** Lifts every {@link #conflict} rule. */
  public void noConflicts() {
    dispatcher.noConflicts();
  }

  /** How many requests were answered 409 by {@link #conflict} rules so far. */
  public long conflictsAnswered() {
    return dispatcher.conflictsAnswered();
  }

  /** A client for namespace {@code default}; closed by {@link #close()}. */
  public KubernetesClient client() {
    return client;
  }

  /** A new client whose default namespace is {@code namespace}; the caller closes it. */
  public KubernetesClient newClient(String namespace) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url())
            .withNamespace(namespace)
            .withTrustCerts(true)
            .withRequestRetryBackoffLimit(0)
            // the stand-in answers slowly on a loaded machine (CI shares 2 cores with builds): a
            // test client that gives up after fabric8's default 10 s fails tests for the machine's
            // load, not for the code under test
            .withRequestTimeout(60_000)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Base URL, {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + server.getPort();
  }

  /** Requests served so far (every method and path), for benchmarks counting API round trips. */
  public int requestCount() {
    return server.getRequestCount();
  }

  /**
   * Requests served so far by verb and resource ({@code "patch clusters/status"}), for tests and
   * benchmarks that hold the hub to its API budget (docs/design/api-budget.md).
   */
  public ApiRequestCounts requests() {
    return dispatcher.requests();
  }

  /** True when the server's indexes hold exactly its stored objects (for tests). */
  boolean indexMatchesStore() {
    return dispatcher.indexMatchesStore();
  }

  /** The port the server listens on (127.0.0.1). */
  public int port() {
    return server.getPort();
  }

  /** A kubeconfig file for kubectl (context {@code local}, namespace {@code default}). */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /**
   * Writes a kubeconfig whose context uses {@code namespace}.
   *
   * @param file where to write it
   * @param namespace the context's namespace
   * @return {@code file}
   */
  public Path writeKubeconfig(Path file, String namespace) {
    try {
      Files.writeString(file, kubeconfigYaml(namespace), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CRDs the server currently serves (Kapro, extra kinds, and any created by callers). */
  public List<CustomResourceDefinition> servedCrds() {
    return List.copyOf(dispatcher.crds());
  }

  /** Stops the server, closes the client and deletes the kubeconfig. */
  @Override
  public void close() {
    client.close();
    server.destroy();
    try {
      Files.deleteIfExists(kubeconfig);
      Files.deleteIfExists(kubeconfig.getParent());
    } catch (IOException e) {
      LOG.debug("could not delete {}: {}", kubeconfig, e.toString());
    }
  }

  private String kubeconfigYaml(String namespace) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster:
            server: %s
        users:
        - name: local
          user:
            token: local
        contexts:
        - name: local
          context:
            cluster: local
            user: local
            namespace: %s
        current-context: local
        """
        .formatted(url(), namespace);
  }
}
