package io.kapro.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kapro.agent.config.ManagedKind;
import io.kapro.agent.testing.MockKube;
import io.kapro.oci.bundle.ObjectReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the agent watches a bundle's objects against fabric8's mock API server: one watch per kind
 * and namespace however many objects it manages there (issue 17: the idle footprint), only the
 * managed objects reported, and one watch per object when RBAC refuses the namespace-wide list.
 */
class BundleObjectsWatchIT {
  static final String HR = "helm.toolkit.fluxcd.io/v2";
  static final String APPS = "/apis/helm.toolkit.fluxcd.io/v2/namespaces/apps/helmreleases";

  MockKube kube;
  LocalObjects objects;
  final List<String> changed = new CopyOnWriteArrayList<>();
  final List<Throwable> failures = new CopyOnWriteArrayList<>();
  AutoCloseable watch;

  @BeforeEach
  void setUp() {
    kube = new MockKube();
    objects = new LocalObjects(io.kapro.agent.kube.MockKubes.client(kube));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (watch != null) {
      watch.close();
    }
    kube.close();
  }

  GenericKubernetesResource create(String apiVersion, String kind, String ns, String name) {
    GenericKubernetesResource r =
        new GenericKubernetesResourceBuilder()
            .withApiVersion(apiVersion)
            .withKind(kind)
            .withNewMetadata()
            .withNamespace(ns)
            .withName(name)
            .endMetadata()
            .withAdditionalProperties(
                Map.of("spec", Map.of("chart", Map.of("spec", Map.of("version", "1.0.0")))))
            .build();
    ObjectReference ref = new ObjectReference(apiVersion, kind, ns, name);
    ManagedKind k = ManagedKind.of(apiVersion, kind).orElseThrow();
    return kube.client()
        .genericKubernetesResources(io.kapro.agent.kube.MockKubes.context(ref, k))
        .resource(r)
        .create();
  }

  void setVersion(String name, String version) {
    ObjectReference ref = new ObjectReference(HR, "HelmRelease", "apps", name);
    kube.client()
        .genericKubernetesResources(
            io.kapro.agent.kube.MockKubes.context(ref, ManagedKind.HELM_RELEASE))
        .inNamespace("apps")
        .withName(name)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"chart\":{\"spec\":{\"version\":\"" + version + "\"}}}}");
  }

  static AppliedObject applied(String apiVersion, String kind, String ns, String name) {
    return new AppliedObject(
        new ObjectReference(apiVersion, kind, ns, name),
        ManagedKind.of(apiVersion, kind).orElseThrow(),
        List.of(),
        "",
        1,
        Instant.EPOCH,
        false);
  }

  /** Three managed HelmReleases and one that is not, all in "apps", and an Application. */
  List<AppliedObject> world() {
    List<AppliedObject> out = new ArrayList<>();
    for (String n : List.of("web-0", "web-1", "web-2")) {
      create(HR, "HelmRelease", "apps", n);
      out.add(applied(HR, "HelmRelease", "apps", n));
    }
    create(HR, "HelmRelease", "apps", "not-ours");
    create("argoproj.io/v1alpha1", "Application", "argocd", "shop");
    out.add(applied("argoproj.io/v1alpha1", "Application", "argocd", "shop"));
    return out;
  }

  BundleObjectsWatch start(List<AppliedObject> applied, Runnable onChange) {
    BundleObjectsWatch w =
        BundleObjectsWatch.start(objects, applied, onChange, (ref, e) -> failures.add(e));
    watch = w;
    return w;
  }

  @Test
  void threeObjectsInOneNamespaceShareOneWatchAndAnObjectAloneIsWatchedByName() {
    List<AppliedObject> applied = world();
    BundleObjectsWatch w = start(applied, () -> {});

    assertThat(w.watches()).isEqualTo(2);
    assertThat(failures).isEmpty();
  }

  @Test
  void theNamespaceWatchReportsTheManagedObjectsOnlyInTheOrderTheyChanged() throws Exception {
    List<AppliedObject> applied = world();
    watch =
        objects.watchNamespace(
            applied.get(0).ref(),
            ManagedKind.HELM_RELEASE,
            java.util.Set.of("web-0", "web-1", "web-2"),
            changed::add,
            failures::add);
    // the initial list reports each managed object once, never the other one
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> changed.containsAll(List.of("web-0", "web-1", "web-2")));
    changed.clear();

    setVersion("not-ours", "2.0.0");
    setVersion("web-1", "2.0.0");
    // one watch delivers events in order: once web-1's is seen, not-ours' was handled before it
    await().atMost(Duration.ofSeconds(30)).until(() -> changed.contains("web-1"));
    assertThat(changed).containsExactly("web-1");
    assertThat(failures).isEmpty();
  }

  @Test
  void whenRbacRefusesTheNamespaceListEachObjectIsWatchedByName() {
    List<AppliedObject> applied = world();
    kube.failGets(
        APPS + "?limit=" + io.kapro.agent.kube.KubeClient.PAGE_LIMIT,
        403,
        "helmreleases is forbidden: cannot list resource at the namespace",
        1);
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    BundleObjectsWatch w = start(applied, () -> seen.add("change"));

    // three HelmReleases by name, and the Application
    await().atMost(Duration.ofSeconds(30)).until(() -> w.watches() == 4);
    seen.clear();
    setVersion("web-2", "3.0.0");
    await().atMost(Duration.ofSeconds(30)).until(() -> !seen.isEmpty());
    assertThat(failures).isEmpty();
  }
}
