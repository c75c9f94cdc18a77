package io.kapro.hub.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.Conditions;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterStatus;
import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.OciSource;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.ProvenVersion;
import io.kapro.api.v1alpha2.Source;
import io.kapro.api.v1alpha2.SourceSpec;
import io.kapro.api.v1alpha2.SourceStatus;
import io.kapro.hub.HubOperator;
import io.kapro.hub.events.Signatures;
import io.kapro.hub.events.inbound.InboundServer;
import io.kapro.hub.metrics.HubMetrics;
import io.kapro.oci.testing.LocalRegistry;
import io.kapro.oci.testing.TagFloodRegistry;
import io.kapro.oci.testing.TestImages;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sources in the running hub (its operator and its inbound endpoint) against the real distribution
 * registry on loopback, tags pushed during the test: discovery into status, check-now through the
 * HMAC-signed endpoint, a tag outside the constraint ignored, manual vs auto promotion, the floor
 * of what the first stage proved, and a hostile registry listing 100,000 tags.
 */
class SourceIT {
  private static final byte[] KEY = "inbound-hmac-key".getBytes(StandardCharsets.UTF_8);
  private static final String REPO = "team/web";

  private LocalKubeApi api;
  private KubernetesClient client;
  private LocalRegistry registry;
  private HubOperator hub;
  private InboundServer inbound;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    api = LocalKubeApi.start();
    client = api.client();
    registry = LocalRegistry.startPlain();
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("kapro-inbound")
                .endMetadata()
                .withStringData(Map.of("hmac", new String(KEY, StandardCharsets.UTF_8)))
                .build())
        .inNamespace("default")
        .create();
    hub =
        HubOperator.start(
            client,
            r -> {
              throw new IllegalStateException("no publishing in this test");
            },
            new HubOperator.Settings(Clock.systemUTC(), Duration.ofSeconds(30)));
    inbound =
        InboundServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            client,
            new HubMetrics(),
            Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    inbound.close();
    hub.close();
    registry.close();
    api.close();
  }

  @Test
  void manualRecordsAvailableVersionsAndMovesNothing() throws Exception {
    String d100 = TestImages.push(registry.host(), REPO, "1.0.0");
    String d110 = TestImages.push(registry.host(), REPO, "1.1.0");
    TestImages.push(registry.host(), REPO, "latest");
    SourceFixtures.fleet(client, null, "web");
    cluster("dev-0", "dev", "1.0.0");
    source("web", registry.host(), ">=1.0.0 <2.0.0");

    SourceStatus s =
        SourceFixtures.awaitStatus(client, "web", st -> "1.1.0".equals(st.getLatest()));
    assertThat(s.getVersions()).extracting(v -> v.getVersion()).containsExactly("1.1.0", "1.0.0");
    assertThat(s.getVersions().get(0).getDigest()).isEqualTo(d110);
    assertThat(s.getVersions().get(1).getDigest()).isEqualTo(d100);
    assertThat(s.getVersions().get(0).getOrigin()).isEqualTo(registry.host() + "/team/web:1.1.0");
    assertThat(s.getProven()).isEqualTo("1.0.0");
    assertThat(s.getAvailable()).containsExactly("1.1.0");
    assertThat(s.getTagsListed()).isEqualTo(3);
    assertThat(ready(s).getStatus().name()).isEqualTo("True");

    // pushed during the run: 1.2.0 is found at once through a signed check event; 2.0.0 is outside
    String d120 = TestImages.push(registry.host(), REPO, "1.2.0");
    TestImages.push(registry.host(), REPO, "2.0.0");
    var answer = checkNow("{\"source\":\"web\"}");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    s = SourceFixtures.awaitStatus(client, "web", st -> "1.2.0".equals(st.getLatest()));
    assertThat(s.getVersions().get(0).getDigest()).isEqualTo(d120);
    assertThat(s.getVersions()).extracting(v -> v.getVersion()).doesNotContain("2.0.0", "latest");
    assertThat(s.getAvailable()).containsExactly("1.2.0", "1.1.0");
    assertThat(s.getPromoted()).isNull();
    assertThat(client.resources(Promotion.class).inNamespace("default").list().getItems())
        .as("manual: nothing moves")
        .isEmpty();
    var unknown = checkNow("{\"source\":\"nope\"}");
    assertThat(unknown.statusCode()).isEqualTo(422);
  }

  @Test
  void autoPromotesTheNewestIntoTheFirstStageButNeverBelowWhatItProved() throws Exception {
    TestImages.push(registry.host(), REPO, "1.0.0");
    TestImages.push(registry.host(), REPO, "1.1.0");
    SourceFixtures.plan(client);
    SourceFixtures.fleet(client, "rollout", "web");
    // the first stage (dev) proved 1.1.0; prod (later stage) still runs 1.0.0
    cluster("dev-0", "dev", "1.1.0");
    cluster("prod-0", "prod", "1.0.0");
    source("web", registry.host(), "^1");

    SourceStatus s =
        SourceFixtures.awaitStatus(client, "web", st -> "1.1.0".equals(st.getLatest()));
    assertThat(s.getProven()).as("first stage only").isEqualTo("1.1.0");
    assertThat(s.getAvailable()).isEmpty();
    assertThat(promotion()).as("nothing newer than the first stage proved").isNull();

    TestImages.push(registry.host(), REPO, "1.3.0");
    assertThat(checkNow("{\"fleet\":\"shop\"}").statusCode()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Promotion p = promotion();
              assertThat(p).isNotNull();
              assertThat(p.getSpec().getPlan()).isEqualTo("rollout");
              assertThat(p.getSpec().getUnits())
                  .singleElement()
                  .satisfies(
                      u -> {
                        assertThat(u.getName()).isEqualTo("web");
                        assertThat(u.getVersion()).isEqualTo("1.3.0");
                      });
            });
    s = SourceFixtures.awaitStatus(client, "web", st -> "1.3.0".equals(st.getPromoted()));
    assertThat(s.getAvailable()).containsExactly("1.3.0");

    // an older tag pushed later (a backport) is recorded but never promoted over 1.3.0
    TestImages.push(registry.host(), REPO, "1.2.5");
    checkNow("{\"source\":\"web\"}");
    s =
        SourceFixtures.awaitStatus(
            client,
            "web",
            st -> st.getVersions().stream().anyMatch(v -> "1.2.5".equals(v.getVersion())));
    assertThat(promotion().getSpec().getUnits().get(0).getVersion()).isEqualTo("1.3.0");
  }

  @Test
  void aRegistryListingOneHundredThousandTagsIsReportedNotFatal() throws Exception {
    try (TagFloodRegistry flood = TagFloodRegistry.start(100_000)) {
      SourceFixtures.fleet(client, null, "web");
      source("flood", flood.hostAndPort(), null);
      SourceStatus s =
          SourceFixtures.awaitStatus(
              client,
              "flood",
              st -> ready(st) != null && "TooManyTags".equals(ready(st).getReason()));
      assertThat(ready(s).getMessage()).contains("lists more than 10000 tags");
      assertThat(flood.pagesServed()).isEqualTo(11);
      // the hub is fine: another Source on a real registry is checked as usual
      TestImages.push(registry.host(), REPO, "1.0.0");
      source("web", registry.host(), null);
      SourceFixtures.awaitStatus(client, "web", st -> "1.0.0".equals(st.getLatest()));
    }
  }

  @Test
  void aPrivateRegistryIsRefusedUnlessTheSourceAllowsIt() {
    SourceFixtures.fleet(client, null, "web");
    Source src = source("web", registry.host(), null, false);
    SourceStatus s =
        SourceFixtures.awaitStatus(
            client, "web", st -> ready(st) != null && "InvalidSpec".equals(ready(st).getReason()));
    assertThat(ready(s).getMessage())
        .contains("spec.oci")
        .contains("private address")
        .contains("allowPrivateNetwork");
    assertThat(src.getSpec().getOci().getAllowPrivateNetwork()).isFalse();
  }

  @Test
  void pullCredentialsAndTheRegistryCaComeFromSecrets() throws Exception {
    try (LocalRegistry tls = LocalRegistry.startTls("puller", "s3cret-pull");
        io.kapro.oci.store.RegistryStore pusher =
            new io.kapro.oci.store.RegistryStore(
                new io.kapro.oci.store.RegistryConfig(
                    tls.host(),
                    false,
                    new io.kapro.oci.store.RegistryConfig.Credentials.Basic(
                        "puller", "s3cret-pull"),
                    tls.caFile()))) {
      byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
      byte[] layer = "web 1.4.0".getBytes(StandardCharsets.UTF_8);
      pusher.putBlob(REPO, config);
      pusher.putBlob(REPO, layer);
      String manifest =
          "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
              + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
              + "\"digest\":\""
              + io.kapro.oci.bundle.Digests.sha256(config)
              + "\",\"size\":2},\"layers\":[{\"mediaType\":"
              + "\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
              + io.kapro.oci.bundle.Digests.sha256(layer)
              + "\",\"size\":"
              + layer.length
              + "}]}";
      pusher.putManifest(REPO, "1.4.0", manifest.getBytes(StandardCharsets.UTF_8));
      client
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("registry-pull")
                  .endMetadata()
                  .withType("kubernetes.io/dockerconfigjson")
                  .withStringData(
                      Map.of(
                          ".dockerconfigjson",
                          "{\"auths\":{\""
                              + tls.host()
                              + "\":{\"username\":\"puller\",\"password\":\"s3cret-pull\"}}}"))
                  .build())
          .inNamespace("default")
          .create();
      client
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("registry-ca")
                  .endMetadata()
                  .withStringData(Map.of("ca.crt", java.nio.file.Files.readString(tls.caFile())))
                  .build())
          .inNamespace("default")
          .create();
      SourceFixtures.fleet(client, null, "web");
      Source anonymous = source("anonymous", tls.host(), null);
      client
          .resources(Source.class)
          .inNamespace("default")
          .withName(anonymous.getMetadata().getName())
          .edit(
              cur -> {
                cur.getSpec().getOci().setUrl("https://" + tls.host());
                cur.getSpec().getOci().setInsecure(false);
                var ca = new io.kapro.api.v1alpha2.SecretRef();
                ca.setName("registry-ca");
                cur.getSpec().getOci().setCaSecretRef(ca);
                return cur;
              });
      Source s = source("web", tls.host(), null);
      client
          .resources(Source.class)
          .inNamespace("default")
          .withName(s.getMetadata().getName())
          .edit(
              cur -> {
                cur.getSpec().getOci().setUrl("https://" + tls.host());
                cur.getSpec().getOci().setInsecure(false);
                var ca = new io.kapro.api.v1alpha2.SecretRef();
                ca.setName("registry-ca");
                cur.getSpec().getOci().setCaSecretRef(ca);
                var creds = new io.kapro.api.v1alpha2.SecretRef();
                creds.setName("registry-pull");
                cur.getSpec().getOci().setCredentialsSecretRef(creds);
                return cur;
              });
      SourceStatus st =
          SourceFixtures.awaitStatus(client, "web", x -> "1.4.0".equals(x.getLatest()));
      assertThat(st.getVersions().get(0).getDigest())
          .isEqualTo(io.kapro.oci.bundle.Digests.sha256(manifest.getBytes(StandardCharsets.UTF_8)));
      SourceStatus denied =
          SourceFixtures.awaitStatus(
              client,
              "anonymous",
              x ->
                  ready(x) != null
                      && "False".equals(ready(x).getStatus().name())
                      && x.getObservedGeneration() != null
                      && x.getObservedGeneration() >= 2);
      assertThat(ready(denied).getReason()).isEqualTo("RegistryUnavailable");
      assertThat(denied.getVersions()).isNull();
    }
  }

  private Promotion promotion() {
    return client.resources(Promotion.class).inNamespace("default").withName("shop-web").get();
  }

  private HttpResponse<String> checkNow(String data) throws Exception {
    String id = "check-" + System.nanoTime();
    HttpRequest r =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + inbound.address().getPort()
                        + "/v1/namespaces/default/events"))
            .header("ce-specversion", "1.0")
            .header("ce-id", id)
            .header("ce-source", "/registry/webhook")
            .header("ce-type", SourceCheckTrigger.TYPE)
            .header("content-type", "application/json")
            .header(
                Signatures.HEADER,
                Signatures.header(
                    KEY,
                    Instant.now().getEpochSecond(),
                    "default." + id,
                    data.getBytes(StandardCharsets.UTF_8)))
            .POST(HttpRequest.BodyPublishers.ofString(data))
            .build();
    return http.send(r, HttpResponse.BodyHandlers.ofString());
  }

  private static Condition ready(SourceStatus s) {
    return Conditions.find(s.getConditions(), "Ready").orElse(null);
  }

  private void cluster(String name, String ring, String webVersion) {
    Cluster c = new Cluster();
    c.getMetadata().setName(name);
    c.getMetadata().setLabels(Map.of("fleet", "shop", "ring", ring));
    c = client.resource(c).inNamespace("default").create();
    ClusterStatus st = new ClusterStatus();
    ProvenVersion v = new ProvenVersion();
    v.setVersion(webVersion);
    st.setVersions(Map.of("web", v));
    c.setStatus(st);
    client.resource(c).inNamespace("default").updateStatus();
  }

  private Source source(String name, String host, String semver) {
    return source(name, host, semver, true);
  }

  private Source source(String name, String host, String semver, boolean allowPrivate) {
    Source s = new Source();
    s.getMetadata().setName(name);
    SourceSpec spec = new SourceSpec();
    spec.setFleet("shop");
    spec.setUnit("web");
    OciSource oci = new OciSource();
    oci.setUrl("http://" + host);
    oci.setInsecure(true);
    oci.setRepository(REPO);
    oci.setAllowPrivateNetwork(allowPrivate);
    spec.setOci(oci);
    spec.setSemver(semver);
    spec.setInterval("1h");
    s.setSpec(spec);
    return client.resource(s).inNamespace("default").create();
  }
}
