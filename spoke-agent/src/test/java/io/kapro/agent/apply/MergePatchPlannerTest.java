package io.kapro.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kapro.agent.apply.MergePatchPlanner.Change;
import io.kapro.agent.apply.MergePatchPlanner.Plan;
import io.kapro.agent.config.FieldPath;
import io.kapro.oci.bundle.ObjectReference;
import java.util.List;
import org.junit.jupiter.api.Test;

class MergePatchPlannerTest {
  static final ObjectReference REF =
      new ObjectReference("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "apps", "web");
  static final YAMLMapper YAML = new YAMLMapper();

  static ObjectNode obj(String yaml) throws Exception {
    return (ObjectNode) YAML.readTree(yaml);
  }

  static Change change(String path, String value) {
    return new Change(FieldPath.parse(path), value);
  }

  @Test
  void scalarPathsPatchOnlyTheLeafAndCreateMissingMaps() throws Exception {
    ObjectNode current =
        obj(
            "metadata: {name: web}\nspec: {interval: 5m, chart: {spec: {chart: podinfo, version: 6.5.0}}}");
    Plan p =
        MergePatchPlanner.plan(
            REF,
            current,
            List.of(
                change("spec.chart.spec.version", "6.5.1"),
                change("spec.postBuild.substitute.APP_VERSION", "1.2")));
    assertThat(p.patch().toString())
        .isEqualTo(
            "{\"spec\":{\"chart\":{\"spec\":{\"version\":\"6.5.1\"}},\"postBuild\":{\"substitute\":{\"APP_VERSION\":\"1.2\"}}}}");
    assertThat(p.revert().toString())
        .isEqualTo(
            "{\"spec\":{\"chart\":{\"spec\":{\"version\":\"6.5.0\"}},\"postBuild\":{\"substitute\":{\"APP_VERSION\":null}}}}");
    assertThat(p.touchesList()).isFalse();
    assertThat(current.toString()).contains("6.5.0");
  }

  @Test
  void listStepsWriteTheWholeListBackWithOneElementChanged() throws Exception {
    ObjectNode current =
        obj(
            "spec: {images: [{name: ghcr.io/acme/app, newTag: '1.0'}, {name: redis, newTag: '7'}]}");
    Plan p =
        MergePatchPlanner.plan(
            REF, current, List.of(change("spec.images[name=ghcr.io/acme/app].newTag", "1.1")));
    assertThat(p.patch().toString())
        .isEqualTo(
            "{\"spec\":{\"images\":[{\"name\":\"ghcr.io/acme/app\",\"newTag\":\"1.1\"},{\"name\":\"redis\",\"newTag\":\"7\"}]}}");
    assertThat(p.touchesList()).isTrue();
    Plan added =
        MergePatchPlanner.plan(
            REF, obj("spec: {}"), List.of(change("spec.images[name=nginx].newTag", "1.27")));
    assertThat(added.patch().toString())
        .isEqualTo("{\"spec\":{\"images\":[{\"name\":\"nginx\",\"newTag\":\"1.27\"}]}}");
    assertThat(added.revert().toString()).isEqualTo("{\"spec\":{\"images\":null}}");
    Plan indexed =
        MergePatchPlanner.plan(
            REF,
            obj("spec: {sources: [{targetRevision: a}, {targetRevision: b}]}"),
            List.of(change("spec.sources[1].targetRevision", "c")));
    assertThat(indexed.patch().toString())
        .isEqualTo(
            "{\"spec\":{\"sources\":[{\"targetRevision\":\"a\"},{\"targetRevision\":\"c\"}]}}");
  }

  @Test
  void argoKustomizeImageOverridesAreSelectedByImageName() throws Exception {
    ObjectNode current =
        obj(
            "spec: {source: {kustomize: {images: ['ghcr.io/acme/app:1.0.0', 'redis=redis:7', 'nginx@sha256:abc']}}}");
    Plan p =
        MergePatchPlanner.plan(
            REF,
            current,
            List.of(
                change(
                    "spec.source.kustomize.images[image=ghcr.io/acme/app]",
                    "ghcr.io/acme/app:1.1.0"),
                change("spec.source.kustomize.images[image=busybox]", "busybox:1.36")));
    assertThat(p.patch().toString())
        .isEqualTo(
            "{\"spec\":{\"source\":{\"kustomize\":{\"images\":[\"ghcr.io/acme/app:1.1.0\",\"redis=redis:7\",\"nginx@sha256:abc\",\"busybox:1.36\"]}}}}");
    assertThat(ImageRefs.nameOf("redis=redis:7")).isEqualTo("redis");
    assertThat(ImageRefs.nameOf("localhost:5000/app:1")).isEqualTo("localhost:5000/app");
    assertThat(ImageRefs.nameOf("nginx@sha256:abc")).isEqualTo("nginx");
  }

  @Test
  void unresolvablePathsNameObjectAndPath() throws Exception {
    ObjectNode current =
        obj(
            "spec: {sources: [{targetRevision: a}], ref: {tag: x}, images: [{name: a}, {name: a}], chart: {spec: {version: {nested: true}}}}");
    for (String[] c :
        new String[][] {
          {"spec.sources[3].targetRevision", "out of range"},
          {"spec.ref[0].x", "not a list"},
          {"spec.ref.tag.deeper", "not a map"},
          {"spec.images[name=a].newTag", "more than one element"},
          {"spec.chart.spec.version", "would replace a map"},
          {"spec.missing[0].x", "does not exist"},
          {"spec.images[name=b]", "ends with a list match"},
          {"spec.kustomize.images[image=a]", "not an override for image a"}
        }) {
      assertThatThrownBy(() -> MergePatchPlanner.plan(REF, current, List.of(change(c[0], "v"))))
          .as(c[0])
          .isInstanceOfSatisfying(
              ApplyException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(ApplyException.Reason.PATH_UNRESOLVABLE);
                assertThat(e.getMessage())
                    .contains(c[1])
                    .contains(c[0])
                    .contains("Kustomization/apps/web");
              });
    }
  }

  @Test
  void aFieldAllowedOnlyByAWildcardPatternIsNeverCreated() throws Exception {
    ObjectNode hr =
        (ObjectNode)
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree("{\"spec\":{\"values\":{\"image\":{\"tag\":\"1\"}}}}");
    ObjectReference ref =
        new ObjectReference("helm.toolkit.fluxcd.io/v2", "HelmRelease", "apps", "web");
    // an existing field: set, whatever pattern allowed it
    assertThat(
            MergePatchPlanner.plan(
                    ref,
                    hr,
                    List.of(new Change(FieldPath.parse("spec.values.image.tag"), "2", false)))
                .patch()
                .toString())
        .isEqualTo("{\"spec\":{\"values\":{\"image\":{\"tag\":\"2\"}}}}");
    // a missing one: created only for an exact pattern
    assertThatThrownBy(
            () ->
                MergePatchPlanner.plan(
                    ref,
                    hr,
                    List.of(new Change(FieldPath.parse("spec.values.hostNetwork"), "true", false))))
        .isInstanceOfSatisfying(
            ApplyException.class,
            e -> assertThat(e.reason()).isEqualTo(ApplyException.Reason.NOT_ALLOWED))
        .hasMessageContaining("'hostNetwork' is missing")
        .hasMessageContaining("exact pattern");
    assertThat(
            MergePatchPlanner.plan(
                    ref,
                    hr,
                    List.of(new Change(FieldPath.parse("spec.values.hostNetwork"), "true", true)))
                .patch()
                .toString())
        .contains("hostNetwork");
  }
}
