package io.kapro.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.agent.config.FieldPath.Index;
import io.kapro.agent.config.FieldPath.Key;
import io.kapro.agent.config.FieldPath.Match;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldPathTest {
  @Test
  void parsesKeysIndexesAndMatches() {
    assertThat(FieldPath.parse("spec.sources[1].targetRevision").steps())
        .containsExactly(
            new Key("spec"), new Key("sources"), new Index(1), new Key("targetRevision"));
    assertThat(FieldPath.parse("spec.images[name=ghcr.io/acme/app].newTag").steps())
        .containsExactly(
            new Key("spec"),
            new Key("images"),
            new Match("name", "ghcr.io/acme/app"),
            new Key("newTag"));
    assertThat(FieldPath.parse("spec.postBuild.substitute.APP_VERSION").steps()).hasSize(4);
  }

  @Test
  void patternsMatchConcretePaths() {
    FieldPath p = FieldPath.parsePattern("spec.images[name=*].newTag");
    assertThat(p.matches(FieldPath.parse("spec.images[name=a/b].newTag"))).isTrue();
    assertThat(p.matches(FieldPath.parse("spec.images[0].newTag"))).isFalse();
    assertThat(p.matches(FieldPath.parse("spec.images[name=a].newName"))).isFalse();
    assertThat(
            FieldPath.parsePattern("spec.sources[*].targetRevision")
                .matches(FieldPath.parse("spec.sources[3].targetRevision")))
        .isTrue();
    assertThat(
            FieldPath.parsePattern("spec.postBuild.substitute.*")
                .matches(FieldPath.parse("spec.postBuild.substitute.X")))
        .isTrue();
    assertThat(
            FieldPath.parsePattern("spec.postBuild.substitute.*")
                .matches(FieldPath.parse("spec.postBuild.substitute")))
        .isFalse();
    assertThat(FieldPath.parsePattern("spec.ref.tag").matches(FieldPath.parse("spec.ref.tag")))
        .isTrue();
  }

  @Test
  void wildcardsAreNotConcrete() {
    assertThatThrownBy(() -> FieldPath.parse("spec.*")).hasMessageContaining("may hold only");
    assertThatThrownBy(() -> FieldPath.parse("spec.a[*]")).hasMessageContaining("must be an index");
  }

  @Test
  void hostilePathsAreRefused() {
    for (String bad :
        List.of(
            "",
            ".spec",
            "spec.",
            "spec..a",
            "[0].a",
            "spec.a[",
            "spec.a[]",
            "spec.a[=x]",
            "spec.a[x=]",
            "spec.a[99999]",
            "spec.a]b",
            "spec a",
            "spec.a[0]b",
            "spec.a[n=\u0001]",
            "x".repeat(600),
            "spec.a[-1]",
            "spec.$ref")) {
      assertThatThrownBy(() -> FieldPath.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void namePatterns() {
    assertThat(new NamePattern("apps-*").matches("apps-prod")).isTrue();
    assertThat(new NamePattern("apps-*").matches("apps")).isFalse();
    assertThat(new NamePattern("a?c").matches("abc")).isTrue();
    assertThat(NamePattern.ANY.matches("")).isTrue();
    assertThatThrownBy(() -> new NamePattern("a.*[")).isInstanceOf(IllegalArgumentException.class);
  }
}
