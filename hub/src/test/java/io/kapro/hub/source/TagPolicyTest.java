package io.kapro.hub.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kapro.api.v1alpha2.DiscoveredVersion;
import io.kapro.api.v1alpha2.SourceSpec;
import io.kapro.api.v1alpha2.TagFilter;
import io.kapro.api.v1alpha2.TagOrder;
import io.kapro.api.v1alpha2.TagSelection;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link TagPolicy} and {@link SourceHistory} against Flux's own image policy cases. */
class TagPolicyTest {
  static Stream<Arguments> flux() throws IOException {
    try (InputStream in =
        TagPolicyTest.class.getResourceAsStream("/conformance/flux/image-policies.yaml")) {
      JsonNode doc = new YAMLMapper().readTree(in);
      List<Arguments> out = new ArrayList<>();
      for (JsonNode c : doc.path("cases")) {
        out.add(Arguments.of(c.get("label").asText(), c));
      }
      assertThat(out).hasSizeGreaterThan(20);
      return out.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("flux")
  void selectsTheLatestLikeFlux(String label, JsonNode c) {
    SourceSpec spec = new SourceSpec();
    spec.setSelection(TagSelection.valueOf(c.get("selection").asText()));
    if (c.hasNonNull("semver")) {
      spec.setSemver(c.get("semver").asText());
    }
    if (c.hasNonNull("order")) {
      spec.setOrder(TagOrder.valueOf(c.get("order").asText()));
    }
    if (c.hasNonNull("pattern")) {
      TagFilter f = new TagFilter();
      f.setPattern(c.get("pattern").asText());
      f.setExtract(c.hasNonNull("extract") ? c.get("extract").asText() : null);
      spec.setFilterTags(f);
    }
    List<String> tags = new ArrayList<>();
    c.get("tags").forEach(t -> tags.add(t.asText()));
    Collections.shuffle(tags); // the registry's order must not matter (Flux shuffles too)
    List<TagPolicy.Candidate> selected = TagPolicy.of(spec).select(tags);
    String latest = c.get("latest").isNull() ? null : c.get("latest").asText();
    assertThat(selected.isEmpty() ? null : selected.get(0).tag()).as(label).isEqualTo(latest);
  }

  @Test
  void invalidSpecsAreRefusedNamingTheField() {
    SourceSpec spec = new SourceSpec();
    spec.setSemver("1.0.0p || a");
    assertThatThrownBy(() -> TagPolicy.of(spec)).hasMessageContaining("spec.semver");
    SourceSpec regex = new SourceSpec();
    TagFilter f = new TagFilter();
    f.setPattern("([");
    regex.setFilterTags(f);
    assertThatThrownBy(() -> TagPolicy.of(regex)).hasMessageContaining("spec.filterTags.pattern");
    SourceSpec alpha = new SourceSpec();
    alpha.setSelection(TagSelection.Alphabetical);
    alpha.setSemver("1.x");
    assertThatThrownBy(() -> TagPolicy.of(alpha)).hasMessageContaining("selection SemVer");
  }

  @Test
  void historyIsBoundedNewestFirstAndResolvesEachDigestOnce() {
    SourceSpec spec = new SourceSpec();
    spec.setSemver("^1");
    TagPolicy policy = TagPolicy.of(spec);
    AtomicInteger resolved = new AtomicInteger();
    List<DiscoveredVersion> first =
        SourceHistory.merge(
            null,
            policy.select(List.of("1.0.0", "1.2.0", "1.1.0", "2.0.0", "junk")),
            2,
            t -> {
              resolved.incrementAndGet();
              return "sha256:" + t;
            },
            t -> "reg/app:" + t,
            Instant.parse("2026-12-07T08:00:00Z"));
    assertThat(first).extracting(DiscoveredVersion::getVersion).containsExactly("1.2.0", "1.1.0");
    assertThat(resolved).hasValue(2);
    List<DiscoveredVersion> second =
        SourceHistory.merge(
            first,
            policy.select(List.of("1.0.0", "1.2.0", "1.1.0", "1.3.0")),
            2,
            t -> {
              resolved.incrementAndGet();
              return "sha256:" + t;
            },
            t -> "reg/app:" + t,
            Instant.parse("2026-12-07T09:00:00Z"));
    assertThat(second).extracting(DiscoveredVersion::getVersion).containsExactly("1.3.0", "1.2.0");
    assertThat(second.get(1).getDiscoveredAt()).isEqualTo("2026-12-07T08:00:00Z");
    assertThat(resolved).hasValue(3);
    assertThat(SourceHistory.available(second, "1.2.0", policy)).containsExactly("1.3.0");
    assertThat(SourceHistory.available(second, null, policy)).containsExactly("1.3.0", "1.2.0");
    // a proven version outside the constraint still bounds what is newer
    assertThat(SourceHistory.available(second, "2.0.0", policy)).isEmpty();
  }

  @Test
  void commitsOfABranchAreOrderedByWhenTheyWereFound() {
    TagPolicy order = TagPolicy.inOrder(List.of("c3", "c2", "c1"));
    assertThat(order.newerTag("c3", "c2")).hasValue(true);
    assertThat(order.newerTag("c1", "c2")).hasValue(false);
    // a commit that left the bounded history (or was never seen here) is older than all
    assertThat(order.newerTag("c1", "gone")).hasValue(true);
    List<DiscoveredVersion> history = new ArrayList<>();
    for (String c : List.of("c3", "c2", "c1")) {
      DiscoveredVersion v = new DiscoveredVersion();
      v.setVersion(c);
      history.add(v);
    }
    assertThat(SourceHistory.available(history, "c2", order)).containsExactly("c3");
    assertThat(SourceHistory.available(history, "gone", order)).containsExactly("c3", "c2", "c1");
  }
}
