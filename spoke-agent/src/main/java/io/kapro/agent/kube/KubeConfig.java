package io.kapro.agent.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the agent's API server is and how to authenticate, resolved the way kubectl (client-go's
 * {@code clientcmd}) and fabric8's {@code Config.autoConfigure} resolve it for the cases an agent
 * meets:
 *
 * <ol>
 *   <li>a kubeconfig file: the {@code kubeconfig} system property, else {@code KUBECONFIG} (a
 *       {@code :}-separated list, merged as kubectl merges: the first file to set a value wins),
 *       else {@code ~/.kube/config} if it exists; its {@code current-context}, that context's
 *       cluster ({@code server}, {@code certificate-authority}, {@code certificate-authority-data},
 *       {@code insecure-skip-tls-verify}) and user ({@code token}, {@code tokenFile}, {@code
 *       client-certificate(-data)}, {@code client-key(-data)}); relative paths are relative to the
 *       file that names them;
 *   <li>else in a pod: {@code KUBERNETES_SERVICE_HOST} and {@code KUBERNETES_SERVICE_PORT}, the
 *       service account's {@code token} (re-read every minute: bound tokens rotate) and {@code
 *       ca.crt}.
 * </ol>
 *
 * {@code KUBERNETES_MASTER} (or {@code kubernetes.master}) replaces the server, as in fabric8;
 * {@code KUBERNETES_AUTH_TRYKUBECONFIG=false} and {@code KUBERNETES_AUTH_TRYSERVICEACCOUNT=false}
 * skip a source. Anything else a kubeconfig may hold that the agent cannot honour (exec plugins,
 * auth providers, basic auth, proxies) is refused with an error naming the field.
 *
 * @param server the API server's base URL
 * @param trust the CAs to trust (empty: the JDK's defaults)
 * @param insecure skip server certificate verification ({@code insecure-skip-tls-verify})
 * @param clientKey the client certificate's key, if any
 * @param clientChain the client certificate chain, if any
 * @param token the bearer token now, if any (re-read from its file as it rotates)
 * @param source where this came from, for messages
 */
public record KubeConfig(
    URI server,
    List<X509Certificate> trust,
    boolean insecure,
    PrivateKey clientKey,
    List<X509Certificate> clientChain,
    Supplier<Optional<String>> token,
    String source) {

  /** The pod's service account directory. */
  public static final Path SERVICE_ACCOUNT =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

  /** Largest kubeconfig, CA or token file read. */
  static final long MAX_FILE_BYTES = 1024 * 1024;

  /** How long a token read from a file is used before the file is read again (client-go: 1m). */
  static final Duration TOKEN_REFRESH = Duration.ofMinutes(1);

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public KubeConfig {
    String url = server.toString();
    if (url.endsWith("/")) {
      server = URI.create(url.substring(0, url.length() - 1)); // paths are appended as /api/...
    }
    trust = List.copyOf(trust);
    clientChain = List.copyOf(clientChain);
  }

  /** An API server at {@code server} without credentials (a local test API server). */
  public static KubeConfig of(URI server) {
    return new KubeConfig(
        server, List.of(), false, null, List.of(), Optional::empty, "server " + server);
  }

  /** The configuration from this process's environment, system properties and files. */
  public static KubeConfig fromEnvironment() {
    Map<String, String> env = new LinkedHashMap<>(System.getenv());
    put(env, "KUBECONFIG", System.getProperty("kubeconfig"));
    put(env, "KUBERNETES_MASTER", System.getProperty("kubernetes.master"));
    put(env, "KUBERNETES_AUTH_TRYKUBECONFIG", System.getProperty("kubernetes.auth.tryKubeConfig"));
    put(
        env,
        "KUBERNETES_AUTH_TRYSERVICEACCOUNT",
        System.getProperty("kubernetes.auth.tryServiceAccount"));
    return resolve(env, Path.of(System.getProperty("user.home", "/")), SERVICE_ACCOUNT);
  }

  private static void put(Map<String, String> env, String name, String value) {
    if (value != null) {
      env.put(name, value);
    }
  }

  /**
   * Resolves the configuration.
   *
   * @param env environment variables ({@code KUBECONFIG}, {@code KUBERNETES_*})
   * @param home the user's home directory (for {@code ~/.kube/config})
   * @param serviceAccount the service account directory (token, ca.crt)
   * @throws KubeException naming what to set when nothing usable is found
   */
  public static KubeConfig resolve(Map<String, String> env, Path home, Path serviceAccount) {
    KubeConfig found = null;
    if (!"false".equalsIgnoreCase(env.get("KUBERNETES_AUTH_TRYKUBECONFIG"))) {
      List<Path> files = kubeconfigFiles(env.get("KUBECONFIG"), home);
      if (!files.isEmpty()) {
        found = fromKubeconfig(files);
      }
    }
    if (found == null
        && !"false".equalsIgnoreCase(env.get("KUBERNETES_AUTH_TRYSERVICEACCOUNT"))
        && notBlank(env.get("KUBERNETES_SERVICE_HOST"))) {
      found = inCluster(env, serviceAccount);
    }
    String master = env.get("KUBERNETES_MASTER");
    if (notBlank(master)) {
      URI server = serverUri(master.strip(), "KUBERNETES_MASTER");
      found =
          found == null
              ? of(server)
              : new KubeConfig(
                  server,
                  found.trust,
                  found.insecure,
                  found.clientKey,
                  found.clientChain,
                  found.token,
                  found.source + ", server from KUBERNETES_MASTER");
    }
    if (found == null) {
      throw new KubeException(
          0,
          "no Kubernetes API server configured: run the agent in a pod with a service account"
              + " (KUBERNETES_SERVICE_HOST is not set), or set KUBECONFIG to a kubeconfig file"
              + " (none at "
              + home.resolve(".kube/config")
              + "), or KUBERNETES_MASTER to the API server's URL");
    }
    return found;
  }

  private static List<Path> kubeconfigFiles(String kubeconfigEnv, Path home) {
    List<Path> files = new ArrayList<>();
    if (notBlank(kubeconfigEnv)) {
      // kubectl: every listed file that exists is merged; missing ones are skipped
      for (String p : kubeconfigEnv.split(java.io.File.pathSeparator)) {
        if (!p.isBlank() && Files.exists(Path.of(p))) {
          files.add(Path.of(p));
        }
      }
      if (files.isEmpty()) {
        throw new KubeException(
            0, "KUBECONFIG=" + kubeconfigEnv + " names no existing file; fix or unset KUBECONFIG");
      }
      return files;
    }
    Path dflt = home.resolve(".kube").resolve("config");
    return Files.isRegularFile(dflt) ? List.of(dflt) : List.of();
  }

  /** The service account of a pod, as client-go's {@code rest.InClusterConfig}. */
  static KubeConfig inCluster(Map<String, String> env, Path dir) {
    String host = env.get("KUBERNETES_SERVICE_HOST").strip();
    String port = Optional.ofNullable(env.get("KUBERNETES_SERVICE_PORT")).orElse("").strip();
    if (port.isEmpty()) {
      throw new KubeException(
          0, "KUBERNETES_SERVICE_HOST is set but KUBERNETES_SERVICE_PORT is not; set both");
    }
    String hostPart = host.contains(":") ? "[" + host + "]" : host; // IPv6
    URI server = serverUri("https://" + hostPart + ":" + port, "KUBERNETES_SERVICE_HOST/PORT");
    Path tokenFile = dir.resolve("token");
    Path caFile = dir.resolve("ca.crt");
    if (!Files.isReadable(tokenFile)) {
      throw new KubeException(
          0,
          "in a pod (KUBERNETES_SERVICE_HOST is set) but "
              + tokenFile
              + " cannot be read: mount the service account token (automountServiceAccountToken)");
    }
    List<X509Certificate> trust =
        Files.exists(caFile) ? certificates(read(caFile), caFile.toString()) : List.of();
    return new KubeConfig(
        server,
        trust,
        false,
        null,
        List.of(),
        new FileToken(tokenFile, Clock.systemUTC()),
        "service account " + dir);
  }

  /** The current context of the merged kubeconfig files. */
  static KubeConfig fromKubeconfig(List<Path> files) {
    // kubectl merges map entries by name (first file wins) and takes the first current-context
    Map<String, Named> clusters = new LinkedHashMap<>();
    Map<String, Named> users = new LinkedHashMap<>();
    Map<String, Named> contexts = new LinkedHashMap<>();
    String current = null;
    for (Path f : files) {
      JsonNode doc = parse(f);
      if (doc == null || doc.isMissingNode() || doc.isNull()) {
        continue;
      }
      if (current == null && notBlank(doc.path("current-context").asText(""))) {
        current = doc.path("current-context").asText();
      }
      collect(doc, "clusters", "cluster", f, clusters);
      collect(doc, "users", "user", f, users);
      collect(doc, "contexts", "context", f, contexts);
    }
    String where = "kubeconfig " + files.stream().map(Path::toString).toList();
    if (current == null) {
      throw new KubeException(
          0, where + " has no current-context; set it with kubectl config use-context");
    }
    Named context = contexts.get(current);
    if (context == null) {
      throw new KubeException(
          0, where + ": current-context '" + current + "' is not among its contexts");
    }
    String clusterName = context.node.path("cluster").asText("");
    Named cluster = clusters.get(clusterName);
    if (cluster == null) {
      throw new KubeException(
          0, where + ": context '" + current + "' names cluster '" + clusterName + "', not found");
    }
    String server = cluster.node.path("server").asText("");
    if (server.isBlank()) {
      throw new KubeException(0, where + ": cluster '" + clusterName + "' has no server");
    }
    for (String unsupported : List.of("proxy-url", "tls-server-name")) {
      if (cluster.node.hasNonNull(unsupported)) {
        throw new KubeException(
            0,
            where
                + ": cluster '"
                + clusterName
                + "' sets "
                + unsupported
                + ", which the agent does not support; remove it");
      }
    }
    boolean insecure = cluster.node.path("insecure-skip-tls-verify").asBoolean(false);
    String what = where + " cluster '" + clusterName + "'";
    Optional<String> caPem =
        pemOf(cluster, "certificate-authority-data", "certificate-authority", what);
    List<X509Certificate> trust =
        caPem.map(p -> certificates(p, what + " certificate-authority")).orElse(List.of());

    String userName = context.node.path("user").asText("");
    Named user = users.get(userName);
    Supplier<Optional<String>> token = Optional::empty;
    PrivateKey key = null;
    List<X509Certificate> chain = List.of();
    if (user != null) {
      String whoami = where + " user '" + userName + "'";
      for (String unsupported :
          List.of("exec", "auth-provider", "username", "password", "as", "impersonate")) {
        if (user.node.hasNonNull(unsupported)) {
          throw new KubeException(
              0,
              whoami
                  + " uses '"
                  + unsupported
                  + "', which the agent does not support; give it a token, tokenFile or client"
                  + " certificate");
        }
      }
      String literal = user.node.path("token").asText("");
      if (notBlank(literal)) {
        Optional<String> fixed = Optional.of(literal.strip());
        token = () -> fixed;
      } else if (notBlank(user.node.path("tokenFile").asText(""))) {
        Path file = user.resolve(user.node.path("tokenFile").asText());
        token = new FileToken(file, Clock.systemUTC());
        token.get(); // fail now, naming the file, rather than on the first call
      }
      Optional<String> certPem =
          pemOf(user, "client-certificate-data", "client-certificate", whoami);
      Optional<String> keyPem = pemOf(user, "client-key-data", "client-key", whoami);
      if (certPem.isPresent() != keyPem.isPresent()) {
        throw new KubeException(
            0, whoami + " has a client certificate or a client key but not both; give both");
      }
      if (certPem.isPresent()) {
        chain = certificates(certPem.get(), whoami + " client-certificate");
        key = PemKeys.privateKey(keyPem.get(), whoami + " client-key");
      }
    }
    return new KubeConfig(
        serverUri(server, what + " server"),
        trust,
        insecure,
        key,
        chain,
        token,
        where + " context '" + current + "'");
  }

  /** One named entry of a kubeconfig list and the file it came from. */
  private record Named(JsonNode node, Path file) {
    Path resolve(String path) {
      Path p = Path.of(path);
      return p.isAbsolute() ? p : file.toAbsolutePath().getParent().resolve(p);
    }
  }

  private static void collect(
      JsonNode doc, String list, String field, Path file, Map<String, Named> into) {
    for (JsonNode e : doc.path(list)) {
      String name = e.path("name").asText("");
      if (!name.isEmpty() && e.path(field).isObject()) {
        into.putIfAbsent(name, new Named(e.path(field), file));
      }
    }
  }

  private static Optional<String> pemOf(Named n, String dataField, String fileField, String what) {
    String data = n.node.path(dataField).asText("");
    if (notBlank(data)) {
      try {
        return Optional.of(
            new String(Base64.getMimeDecoder().decode(data.strip()), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new KubeException(0, what + " " + dataField + " is not base64: " + e.getMessage());
      }
    }
    String file = n.node.path(fileField).asText("");
    return notBlank(file) ? Optional.of(read(n.resolve(file))) : Optional.empty();
  }

  private static JsonNode parse(Path f) {
    try {
      return YAML.readTree(read(f));
    } catch (IOException e) {
      throw new KubeException(0, "kubeconfig " + f + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  static String read(Path f) {
    try {
      if (Files.size(f) > MAX_FILE_BYTES) {
        throw new KubeException(0, f + " is larger than " + MAX_FILE_BYTES + " bytes; refused");
      }
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KubeException(0, "cannot read " + f + ": " + e, e);
    }
  }

  private static List<X509Certificate> certificates(String pem, String what) {
    try {
      return io.kapro.oci.sign.Pem.readCertificates(pem, what);
    } catch (RuntimeException e) {
      throw new KubeException(0, e.getMessage(), e);
    }
  }

  private static URI serverUri(String url, String what) {
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new KubeException(0, what + " '" + url + "' is not a URL: " + e.getMessage());
    }
    if (u.getHost() == null
        || !("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme()))) {
      throw new KubeException(
          0, what + " '" + url + "' is not an http(s)://host[:port] URL of an API server");
    }
    return u;
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  /** A bearer token in a file, read again once {@link #TOKEN_REFRESH} has passed. */
  static final class FileToken implements Supplier<Optional<String>> {
    private final Path file;
    private final Clock clock;
    private String token;
    private Instant readAt = Instant.MIN;

    FileToken(Path file, Clock clock) {
      this.file = file;
      this.clock = clock;
    }

    @Override
    public synchronized Optional<String> get() {
      Instant now = clock.instant();
      if (token == null || !now.isBefore(readAt.plus(TOKEN_REFRESH))) {
        try {
          String t = read(file).strip();
          if (t.isEmpty()) {
            throw new KubeException(0, "token file " + file + " is empty");
          }
          token = t;
          readAt = now;
        } catch (KubeException e) {
          if (token == null) {
            throw e;
          }
          // keep the last token until the file is readable again; the API server says if expired
        }
      }
      return Optional.of(token);
    }
  }

  @Override
  public String toString() {
    return "KubeConfig[" + server + " from " + source + "]";
  }
}
