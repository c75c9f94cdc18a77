package io.kapro.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kapro.agent.testing.MockKube;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's client against fabric8's mock API server (CRUD mode, plus expectations for what the
 * CRUD store does not do: list pages, a watch's 410 Gone, oversized answers).
 */
class KubeClientIT {
  static final ResourcePath HR =
      new ResourcePath("helm.toolkit.fluxcd.io", "v2", "helmreleases", "apps");

  final MockKube kube = new MockKube();
  final KubeClient client = MockKubes.client(kube);
  final List<String> changes = new CopyOnWriteArrayList<>();
  final List<Throwable> failures = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    kube.close();
  }

  static ObjectNode helmRelease(String name, String version) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("apiVersion", "helm.toolkit.fluxcd.io/v2").put("kind", "HelmRelease");
    o.putObject("metadata").put("name", name).put("namespace", "apps");
    o.putObject("spec").putObject("chart").putObject("spec").put("version", version);
    return o;
  }

  @Test
  void createGetUpdateWithAStaleResourceVersionIsAConflict() {
    assertThat(client.get(HR, "web")).isEmpty();
    ObjectNode created = client.create(HR, helmRelease("web", "1.0.0"));
    String rv = created.path("metadata").path("resourceVersion").asText();
    assertThat(client.get(HR, "web").orElseThrow().at("/spec/chart/spec/version").asText())
        .isEqualTo("1.0.0");
    assertThatThrownBy(() -> client.create(HR, helmRelease("web", "1.0.0")))
        .isInstanceOfSatisfying(KubeException.class, e -> assertThat(e.conflict()).isTrue());

    ObjectNode v2 = helmRelease("web", "2.0.0");
    ((ObjectNode) v2.path("metadata")).put("resourceVersion", rv);
    client.update(HR, v2);
    ObjectNode stale = helmRelease("web", "3.0.0");
    ((ObjectNode) stale.path("metadata")).put("resourceVersion", rv);
    assertThatThrownBy(() -> client.update(HR, stale))
        .isInstanceOfSatisfying(
            KubeException.class,
            e -> {
              assertThat(e.code()).isEqualTo(409);
              assertThat(e.getMessage())
                  .contains("update helmreleases.helm.toolkit.fluxcd.io \"web\" in namespace apps");
            });
    assertThat(client.get(HR, "web").orElseThrow().at("/spec/chart/spec/version").asText())
        .isEqualTo("2.0.0");
  }

  @Test
  void aListIsReadPageByPageWithTheContinueToken() {
    String path = HR.path() + "?limit=" + KubeClient.PAGE_LIMIT;
    kube.server()
        .expect()
        .get()
        .withPath(path)
        .andReturn(
            200,
            "{\"kind\":\"List\",\"metadata\":{\"continue\":\"p2\",\"resourceVersion\":\"7\"},"
                + "\"items\":[{\"metadata\":{\"name\":\"a\"}}]}")
        .once();
    kube.server()
        .expect()
        .get()
        .withPath(path + "&continue=p2")
        .andReturn(
            200,
            "{\"kind\":\"List\",\"metadata\":{\"resourceVersion\":\"9\"},"
                + "\"items\":[{\"metadata\":{\"name\":\"b\"}}]}")
        .once();
    KubeClient.Listing l = client.list(HR, null);
    assertThat(l.items())
        .extracting(o -> o.at("/metadata/name").asText())
        .containsExactly("a", "b");
    assertThat(l.resourceVersion()).isEqualTo("9");
  }

  @Test
  void anAnswerLargerThanTheBoundIsRefusedUnread() {
    String big = "{\"metadata\":{\"name\":\"web\"},\"x\":\"" + "a".repeat(4 * 1024 * 1024) + "\"}";
    kube.server().expect().get().withPath(HR.path("web")).andReturn(200, big).once();
    assertThatThrownBy(() -> client.get(HR, "web"))
        .isInstanceOf(KubeException.class)
        .hasMessageContaining("get helmreleases.helm.toolkit.fluxcd.io \"web\" in namespace apps")
        .hasMessageContaining("larger than " + KubeClient.MAX_OBJECT_BYTES);
  }

  @Test
  void aForbiddenAnswerNamesTheVerbTheResourceAndTheRbacFix() {
    kube.failGets(HR.path("web"), 403, "helmreleases is forbidden", 1);
    assertThatThrownBy(() -> client.get(HR, "web"))
        .isInstanceOfSatisfying(
            KubeException.class,
            e -> {
              assertThat(e.forbidden()).isTrue();
              assertThat(e.getMessage())
                  .contains("HTTP 403 helmreleases is forbidden")
                  .contains("must allow 'get' on helmreleases.helm.toolkit.fluxcd.io \"web\"")
                  .contains("rbac");
            });
  }

  @Test
  void aWatchSeesChangesAndDeletesOfTheObjectsItKeepsOnly() throws Exception {
    client.create(HR, helmRelease("web", "1.0.0"));
    client.create(HR, helmRelease("other", "1.0.0"));
    try (KubeWatch w =
        KubeWatch.start(client, HR, null, "web"::equals, changes::add, failures::add)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> changes.contains("web"));
      changes.clear();
      kube.client()
          .genericKubernetesResources("helm.toolkit.fluxcd.io/v2", "HelmRelease")
          .inNamespace("apps")
          .withName("other")
          .delete();
      kube.client()
          .genericKubernetesResources("helm.toolkit.fluxcd.io/v2", "HelmRelease")
          .inNamespace("apps")
          .withName("web")
          .delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> changes.contains("web"));
      assertThat(changes).containsOnly("web");
      assertThat(failures).isEmpty();
    }
  }

  @Test
  void aWatchTheApiServerEndsWith410GoneListsAgain() throws Exception {
    String list = HR.path() + "?limit=" + KubeClient.PAGE_LIMIT;
    kube.server()
        .expect()
        .get()
        .withPath(list)
        .andReturn(
            200,
            "{\"metadata\":{\"resourceVersion\":\"100\"},"
                + "\"items\":[{\"metadata\":{\"name\":\"web\",\"resourceVersion\":\"1\"}}]}")
        .once();
    kube.server()
        .expect()
        .get()
        .withPath(list)
        .andReturn(
            200,
            "{\"metadata\":{\"resourceVersion\":\"200\"},"
                + "\"items\":[{\"metadata\":{\"name\":\"web\",\"resourceVersion\":\"2\"}}]}")
        .once();
    // the watch from 100 is refused with 410 Gone (client-go relists on it: reflector
    // isExpiredError, apimachinery IsResourceExpired/IsGone)
    kube.server()
        .expect()
        .get()
        .withPath(
            HR.path()
                + "?watch=true&allowWatchBookmarks=true&timeoutSeconds=300&resourceVersion=100")
        .andReturn(
            410,
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":410,"
                + "\"reason\":\"Expired\",\"message\":\"too old resource version: 100 (150)\"}")
        .once();
    try (KubeWatch w =
        KubeWatch.start(
            client, HR, null, n -> true, changes::add, failures::add, Duration.ofSeconds(300))) {
      // the first list reports web at 1; after the 410 the second list reports it at 2
      await().atMost(Duration.ofSeconds(30)).until(() -> changes.size() >= 2);
      assertThat(changes).startsWith("web", "web");
      assertThat(failures).isEmpty();
    }
  }

  @Test
  void aWatchSilentPastItsTimeoutIsReplaced() throws Exception {
    client.create(HR, helmRelease("web", "1.0.0"));
    int before = kube.server().getRequestCount();
    try (KubeWatch w =
        KubeWatch.start(
            client, HR, null, n -> true, changes::add, failures::add, Duration.ofSeconds(1))) {
      // the mock neither ends the watch at timeoutSeconds nor sends anything while idle
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> kube.server().getRequestCount() - before >= 4);
      client.update(
          HR,
          (ObjectNode)
              client
                  .get(HR, "web")
                  .orElseThrow()
                  .set("spec", helmRelease("w", "2.0.0").get("spec")));
      await().atMost(Duration.ofSeconds(30)).until(() -> changes.size() >= 2);
      assertThat(failures).isEmpty();
    }
  }

  @Test
  void aWatchRefusedAtStartIsReportedAndClosed() {
    kube.failGets(
        HR.path() + "?limit=" + KubeClient.PAGE_LIMIT, 403, "helmreleases is forbidden", 1);
    try (KubeWatch w = KubeWatch.start(client, HR, null, n -> true, changes::add, failures::add)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> !failures.isEmpty());
      assertThat(failures.getFirst())
          .isInstanceOfSatisfying(KubeException.class, e -> assertThat(e.forbidden()).isTrue());
    }
  }
}
