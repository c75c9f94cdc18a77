package io.kapro.api.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fabric8's CRUD dispatcher plus what kubectl needs from a real kube-apiserver: discovery
 * documents, and server-side printing ({@code Accept: application/json;as=Table;...}) for every
 * registered CRD from its additionalPrinterColumns. Everything else is the CRUD mock's.
 */
final class KubeApiDispatcher extends IndexedCrudDispatcher {
  /** The user the local API server authenticates its kubeconfig's token as. */
  public static final String USER = "local";

  private static final String SELF_SUBJECT_REVIEWS =
      "/apis/authentication.k8s.io/v1/selfsubjectreviews";

  private static final Logger LOG = LoggerFactory.getLogger(KubeApiDispatcher.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  private static final Pattern GROUP_VERSION = Pattern.compile("^/apis/([^/]+)/([^/]+)/?$");
  private static final Pattern RESOURCE =
      Pattern.compile("^/apis/([^/]+)/([^/]+)/(?:namespaces/([^/]+)/)?([^/]+)(?:/([^/]+))?/?$");

  private final Map<String, CustomResourceDefinition> crds = new ConcurrentHashMap<>();
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final TableRenderer tables;
  private final ApiRequestCounts requests = new ApiRequestCounts();
  private volatile String serverAddress = "127.0.0.1:0";
  private final List<String[]> forbidden = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<ConflictRule> conflicts = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicLong conflictsAnswered =
      new java.util.concurrent.atomic.AtomicLong();

  /** Answer 409 to this fraction of matching requests. */
  private record ConflictRule(
      java.util.Set<String> methods, Pattern path, double fraction, java.util.Random random) {}

  KubeApiDispatcher(TableRenderer tables) {
    super();
    this.tables = tables;
  }

  void serverAddress(String address) {
    this.serverAddress = address;
  }

  void forbid(String method, String pathPrefix) {
    forbidden.add(new String[] {method, pathPrefix});
  }

  void allowAll() {
    forbidden.clear();
  }

  void conflict(java.util.Set<String> methods, Pattern path, double fraction, long seed) {
    conflicts.add(new ConflictRule(methods, path, fraction, new java.util.Random(seed)));
  }

  void noConflicts() {
    conflicts.clear();
  }

  long conflictsAnswered() {
    return conflictsAnswered.get();
  }

  private boolean conflicts(String method, String path) {
    for (ConflictRule rule : conflicts) {
      if (rule.methods().contains(method) && rule.path().matcher(path).matches()) {
        boolean hit;
        synchronized (rule.random()) {
          hit = rule.random().nextDouble() < rule.fraction();
        }
        if (hit) {
          conflictsAnswered.incrementAndGet();
          return true;
        }
      }
    }
    return false;
  }

  ApiRequestCounts requests() {
    return requests;
  }

  Collection<CustomResourceDefinition> crds() {
    return crds.values();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String full = request.getPath();
    String path = full.contains("?") ? full.substring(0, full.indexOf('?')) : full;
    String query = full.contains("?") ? full.substring(full.indexOf('?') + 1) : "";
    requests.count(request.getMethod(), path, query);
    for (String[] rule : forbidden) {
      if ((rule[0] == null || rule[0].equals(request.getMethod())) && path.startsWith(rule[1])) {
        return json(
            403,
            status(
                403,
                "Forbidden",
                "forbidden: User \"local\" cannot "
                    + request.getMethod().toLowerCase(java.util.Locale.ROOT)
                    + " "
                    + path));
      }
    }
    if (conflicts(request.getMethod(), path)) {
      return json(
          409,
          status(
              409,
              "Conflict",
              "Operation cannot be fulfilled on "
                  + path
                  + ": the object has been modified; please apply your changes to the latest"
                  + " version and try again"));
    }
    if ("GET".equals(request.getMethod())) {
      Optional<MockResponse> served = discovery(path);
      if (served.isPresent()) {
        return served.get();
      }
      String accept = request.getHeader("Accept");
      if (accept != null && accept.contains("as=Table") && !param(query, "watch").equals("true")) {
        Optional<MockResponse> table = table(path, full, query);
        if (table.isPresent()) {
          return table.get();
        }
      }
    }
    if ("POST".equals(request.getMethod()) && path.equals(SELF_SUBJECT_REVIEWS)) {
      return json(201, selfSubjectReview(request.getHeader("Impersonate-User")));
    }
    String contentType = request.getHeader("Content-Type");
    if (contentType != null && contentType.contains("protobuf")) {
      // kubectl's generator commands (create namespace, create secret ...) send protobuf, which
      // the CRUD mock cannot read; say so instead of leaving the request unanswered.
      return json(
          415,
          status(
              415,
              "UnsupportedMediaType",
              "this local API server reads JSON only: use kubectl create -f with a manifest"));
    }
    if (path.endsWith("/status") && !query.isEmpty() && !"GET".equals(request.getMethod())) {
      // The CRUD mock recognises status writes by a path ending in /status; kubectl adds
      // ?fieldManager=..., which would turn a status patch into a no-op main-resource patch.
      request =
          new RecordedRequest(
              request.getHttpVersion(),
              request.method(),
              path,
              request.getHeaders(),
              request.getBody());
    }
    MockResponse response;
    try {
      response = super.dispatch(request);
    } catch (RuntimeException e) {
      // An exception here would leave the request unanswered; answer like an API server.
      LOG.warn("{} {} failed: {}", request.getMethod(), full, e.toString());
      return json(
          400,
          status(
              400,
              "BadRequest",
              "the local API server could not handle the request: " + e.getMessage()));
    }
    if (path.startsWith(CRD_PATH)) {
      track(request.getMethod(), path, response);
    }
    return response;
  }

  private Optional<MockResponse> discovery(String path) {
    String body =
        switch (path) {
          case "/version", "/version/" -> Discovery.version();
          case "/api", "/api/" -> Discovery.api(serverAddress);
          case "/api/v1", "/api/v1/" -> Discovery.resources("v1", crds.values());
          case "/apis", "/apis/" -> Discovery.apis(crds.values());
          default -> null;
        };
    if (body != null) {
      return Optional.of(json(200, body));
    }
    if (path.equals("/openapi/v3")) {
      return Optional.of(json(200, OpenApiV3.root(crds.values())));
    }
    if (path.startsWith("/openapi/v3/")) {
      String key = path.substring("/openapi/v3/".length());
      String gv = key.startsWith("apis/") ? key.substring(5) : key.substring(key.indexOf('/') + 1);
      String doc = OpenApiV3.groupVersion(gv, crds.values());
      return Optional.of(
          doc == null
              ? json(404, status(404, "NotFound", "no such group version"))
              : json(200, doc));
    }
    if (path.startsWith("/openapi/")) {
      return Optional.of(json(404, status(404, "NotFound", "the server serves OpenAPI v3 only")));
    }
    Matcher m = GROUP_VERSION.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    String list = Discovery.resources(m.group(1) + "/" + m.group(2), crds.values());
    return Optional.of(
        list == null
            ? json(404, status(404, "NotFound", "the server could not find the requested resource"))
            : json(200, list));
  }

  private Optional<MockResponse> table(String path, String full, String query) {
    Matcher m = RESOURCE.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    Optional<CustomResourceDefinitionVersion> version =
        crdVersion(m.group(1), m.group(2), m.group(4));
    if (version.isEmpty()) {
      return Optional.empty();
    }
    MockResponse stored = super.handleGet(full);
    if (stored.code() != 200) {
      return Optional.of(stored);
    }
    try {
      JsonNode body = JSON.readTree(stored.getBody().getBytes());
      List<JsonNode> items = new ArrayList<>();
      if (body.has("items")) {
        body.get("items").forEach(items::add);
      } else {
        items.add(body);
      }
      // kube-apiserver lists in key order (namespace, then name); the CRUD mock does not.
      items.sort(
          java.util.Comparator.comparing(
              (JsonNode n) ->
                  n.path("metadata").path("namespace").asText()
                      + "/"
                      + n.path("metadata").path("name").asText()));
      String rv = body.path("metadata").path("resourceVersion").asText(null);
      String include = param(query, "includeObject");
      var columns = TableRenderer.columnsOrDefault(version.get().getAdditionalPrinterColumns());
      return Optional.of(json(200, tables.render(columns, items, rv, include).toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Optional<CustomResourceDefinitionVersion> crdVersion(
      String group, String version, String plural) {
    CustomResourceDefinition crd = crds.get(plural + "." + group);
    if (crd == null) {
      return Optional.empty();
    }
    return crd.getSpec().getVersions().stream()
        .filter(v -> v.getName().equals(version))
        .findFirst();
  }

  private void track(String method, String path, MockResponse response) {
    if (response.code() >= 300) {
      return;
    }
    if ("DELETE".equals(method)) {
      String name = path.substring(path.lastIndexOf('/') + 1);
      crds.remove(name);
      return;
    }
    if ("GET".equals(method)) {
      return;
    }
    try {
      CustomResourceDefinition crd =
          serialization.unmarshal(
              new String(response.getBody().getBytes(), StandardCharsets.UTF_8),
              CustomResourceDefinition.class);
      if (crd != null && crd.getSpec() != null && crd.getMetadata() != null) {
        crds.put(crd.getMetadata().getName(), crd);
        LOG.debug("serving {}", crd.getMetadata().getName());
      }
    } catch (RuntimeException e) {
      LOG.warn("could not read stored CRD from {} {}: {}", method, path, e.toString());
    }
  }

  private static String param(String query, String name) {
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  private static String status(int code, String reason, String message) {
    return JSON.createObjectNode()
        .put("kind", "Status")
        .put("apiVersion", "v1")
        .put("status", "Failure")
        .put("message", message)
        .put("reason", reason)
        .put("code", code)
        .toString();
  }

  /**
   * Who the caller is, as {@code kubectl auth whoami} asks (authentication.k8s.io/v1, Kubernetes
   * 1.28+): the kubeconfig's token stands for user {@value #USER}; with kubectl's {@code --as}
   * (header Impersonate-User) the impersonated user.
   */
  private static String selfSubjectReview(String impersonated) {
    String user = impersonated == null || impersonated.isBlank() ? USER : impersonated;
    var review = JSON.createObjectNode();
    review.put("apiVersion", "authentication.k8s.io/v1").put("kind", "SelfSubjectReview");
    review.putObject("metadata");
    var info = review.putObject("status").putObject("userInfo");
    info.put("username", user);
    info.putArray("groups").add("system:authenticated");
    return review.toString();
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(body);
  }
}
