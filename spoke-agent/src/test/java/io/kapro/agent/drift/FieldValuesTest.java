package io.kapro.agent.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kapro.agent.config.FieldPath;
import org.junit.jupiter.api.Test;

class FieldValuesTest {
  static final YAMLMapper YAML = new YAMLMapper();

  static String read(String yaml, String path) throws Exception {
    JsonNode o = YAML.readTree(yaml);
    return FieldValues.read(o, FieldPath.parse(path)).orElse("<absent>");
  }

  @Test
  void readsKeysIndexesMatchesAndImageOverrides() throws Exception {
    String app =
        "{spec: {sources: [{repoURL: a, targetRevision: v1}, {repoURL: b, targetRevision: v2}],"
            + " source: {kustomize: {images: ['ghcr.io/acme/app:1.2.0', 'other=ghcr.io/x:1']}}}}";
    assertThat(read(app, "spec.sources[1].targetRevision")).isEqualTo("v2");
    assertThat(read(app, "spec.sources[repoURL=a].targetRevision")).isEqualTo("v1");
    assertThat(read(app, "spec.source.kustomize.images[image=ghcr.io/acme/app]"))
        .isEqualTo("ghcr.io/acme/app:1.2.0");
    assertThat(read(app, "spec.source.kustomize.images[image=missing]")).isEqualTo("<absent>");
    assertThat(read(app, "spec.sources[5].targetRevision")).isEqualTo("<absent>");
    assertThat(read(app, "spec.sources")).isEqualTo("<absent>"); // not a string
  }
}
