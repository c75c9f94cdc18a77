package io.kapro.hub.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.v1alpha2.DiscoveredSet;
import io.kapro.api.v1alpha2.DiscoveredVersion;
import io.kapro.api.v1alpha2.SourceSpec;
import io.kapro.hub.source.SourceSets.Assembly;
import io.kapro.hub.source.SourceSets.Member;
import io.kapro.hub.source.SourceSets.Verdict;
import io.kapro.hub.source.SourceSets.VersionOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Set assembly, the rules Kargo gives Freight (akuity/kargo
 * docs/docs/50-user-guide/20-how-to-guides, 30-working-with-warehouses.md at 07c1f7e6: "When a
 * Warehouse observes a new revision of any artifact to which it subscribes, it creates a new
 * Freight resource representing a specific collection of artifact revisions that can be promoted
 * ... as a unit"; 50-working-with-freight.md at 1a227616: the name is a hash of a canonical
 * representation of the artifacts, "a unique fingerprint"), plus Kapro's own: no set while a member
 * has nothing, no member moves backwards.
 */
class SourceSetsTest {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final Instant T1 = T0.plusSeconds(60);

  @Test
  void aMemberWithNoVersionYetMakesNoSet() {
    Assembly a =
        SourceSets.assemble(
            List.of(member("web-image", "web", "1.0.0"), member("web-chart", "chart")),
            null,
            10,
            T0);
    assertThat(a).isInstanceOf(Assembly.Waiting.class);
    assertThat(((Assembly.Waiting) a).message())
        .contains("Source web-chart (unit chart) has no version yet");
    Assembly none =
        SourceSets.assemble(List.of(new Member("web-image", "web", null, semver())), null, 10, T0);
    assertThat(none).isInstanceOf(Assembly.Waiting.class);
  }

  @Test
  void theFirstSetCarriesEveryMembersNewestVersionDigestAndOrigin() {
    Assembly a =
        SourceSets.assemble(
            List.of(
                member("web-image", "web", "1.1.0", "1.0.0"),
                member("web-chart", "chart", "0.3.0")),
            null,
            10,
            T0);
    List<DiscoveredSet> sets = sets(a, true);
    assertThat(sets).hasSize(1);
    DiscoveredSet s = sets.get(0);
    assertThat(s.getMembers())
        .extracting(m -> m.getSource(), m -> m.getUnit(), m -> m.getVersion())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("web-image", "web", "1.1.0"),
            org.assertj.core.groups.Tuple.tuple("web-chart", "chart", "0.3.0"));
    assertThat(s.getMembers().get(0).getDigest()).isEqualTo(digest("web", "1.1.0"));
    assertThat(s.getMembers().get(0).getOrigin()).isEqualTo("reg/web:1.1.0");
    assertThat(s.getDiscoveredAt()).isEqualTo("2026-12-07T10:00:00Z");
    assertThat(s.getName()).matches("[0-9a-f]{10}");
    assertThat(SourceSets.summary(s)).isEqualTo("web=1.1.0 chart=0.3.0");
  }

  @Test
  void oneMemberChangingMakesANewSetWithTheOthersCurrentVersions() {
    List<DiscoveredSet> first =
        sets(
            SourceSets.assemble(
                List.of(member("web-image", "web", "1.1.0"), member("web-chart", "chart", "0.3.0")),
                null,
                10,
                T0),
            true);
    List<DiscoveredSet> second =
        sets(
            SourceSets.assemble(
                List.of(
                    member("web-image", "web", "1.1.0"),
                    member("web-chart", "chart", "0.4.0", "0.3.0")),
                first,
                10,
                T1),
            true);
    assertThat(second).hasSize(2);
    assertThat(SourceSets.summary(second.get(0))).isEqualTo("web=1.1.0 chart=0.4.0");
    assertThat(second.get(0).getDiscoveredAt()).isEqualTo("2026-12-07T10:01:00Z");
    assertThat(second.get(1)).isEqualTo(first.get(0));
    assertThat(second.get(0).getName()).isNotEqualTo(first.get(0).getName());
  }

  @Test
  void nothingNewKeepsTheRecordAsItIs() {
    List<Member> members =
        List.of(member("web-image", "web", "1.1.0"), member("web-chart", "chart", "0.3.0"));
    List<DiscoveredSet> first = sets(SourceSets.assemble(members, null, 10, T0), true);
    Assembly again = SourceSets.assemble(members, first, 10, T1);
    assertThat(sets(again, false)).isSameAs(first);
  }

  @Test
  void theSameArtifactsAlwaysGiveTheSameName() {
    List<Member> members =
        List.of(member("web-image", "web", "1.1.0"), member("web-chart", "chart", "0.3.0"));
    String a = sets(SourceSets.assemble(members, null, 10, T0), true).get(0).getName();
    String b = sets(SourceSets.assemble(members, null, 10, T1), true).get(0).getName();
    assertThat(a).isEqualTo(b);
    List<Member> otherDigest =
        List.of(
            new Member(
                "web-image",
                "web",
                List.of(version("web", "1.1.0", "sha256:" + "e".repeat(64))),
                semver()),
            member("web-chart", "chart", "0.3.0"));
    assertThat(sets(SourceSets.assemble(otherDigest, null, 10, T0), true).get(0).getName())
        .as("a tag on other content is another set")
        .isNotEqualTo(a);
  }

  @Test
  void aMemberMovingBackwardsIsRefusedAndNoSetIsMade() {
    List<DiscoveredSet> first =
        sets(
            SourceSets.assemble(
                List.of(
                    member("web-image", "web", "1.2.0", "1.1.0"),
                    member("web-chart", "chart", "0.3.0")),
                null,
                10,
                T0),
            true);
    // tag 1.2.0 deleted: the Source's newest is 1.1.0 again, while the chart moved on
    Assembly a =
        SourceSets.assemble(
            List.of(
                member("web-image", "web", "1.1.0"),
                member("web-chart", "chart", "0.4.0", "0.3.0")),
            first,
            10,
            T1);
    assertThat(a).isInstanceOf(Assembly.Refused.class);
    assertThat(((Assembly.Refused) a).message())
        .contains("Source web-image (unit web)")
        .contains("1.1.0 is not newer than 1.2.0")
        .contains("set " + first.get(0).getName());
  }

  @Test
  void aMemberThatCannotBeOrderedAgainstTheNewestSetIsRefused() {
    List<DiscoveredSet> first =
        sets(SourceSets.assemble(List.of(member("web-image", "web", "1.2.0")), null, 10, T0), true);
    Member unorderable =
        new Member(
            "web-image",
            "web",
            List.of(version("web", "nightly", digest("web", "nightly"))),
            VersionOrder.of(List.of(version("web", "nightly", "d")), null));
    assertThat(SourceSets.assemble(List.of(unorderable), first, 10, T1))
        .isInstanceOf(Assembly.Refused.class);
  }

  @Test
  void theRecordIsBoundedNewestFirst() {
    List<DiscoveredSet> sets = null;
    for (int i = 0; i < 5; i++) {
      String v = "1." + i + ".0";
      List<String> history = new ArrayList<>();
      for (int j = i; j >= 0; j--) {
        history.add("1." + j + ".0");
      }
      sets =
          sets(
              SourceSets.assemble(
                  List.of(member("web-image", "web", history.toArray(String[]::new))),
                  sets,
                  3,
                  T0.plusSeconds(i)),
              true);
      assertThat(SourceSets.summary(sets.get(0))).isEqualTo("web=" + v);
    }
    assertThat(sets)
        .extracting(SourceSets::summary)
        .containsExactly("web=1.4.0", "web=1.3.0", "web=1.2.0");
  }

  @Test
  void aMemberAddedToTheGroupMakesANewSet() {
    List<DiscoveredSet> first =
        sets(SourceSets.assemble(List.of(member("web-image", "web", "1.2.0")), null, 10, T0), true);
    List<DiscoveredSet> second =
        sets(
            SourceSets.assemble(
                List.of(member("web-image", "web", "1.2.0"), member("web-chart", "chart", "0.3.0")),
                first,
                10,
                T1),
            true);
    assertThat(SourceSets.summary(second.get(0))).isEqualTo("web=1.2.0 chart=0.3.0");
  }

  @Test
  void judgeAgainstTheFloors() {
    DiscoveredSet set =
        sets(
                SourceSets.assemble(
                    List.of(
                        member("web-image", "web", "1.2.0"), member("web-chart", "chart", "0.3.0")),
                    null,
                    10,
                    T0),
                true)
            .get(0);
    Map<String, VersionOrder> orders = Map.of("web", semver(), "chart", semver());
    assertThat(SourceSets.judge(set, Map.of(), orders)).isInstanceOf(Verdict.Newer.class);
    assertThat(SourceSets.judge(set, Map.of("web", "1.1.0", "chart", "0.3.0"), orders))
        .as("one member newer, the other at its floor")
        .isInstanceOf(Verdict.Newer.class);
    assertThat(SourceSets.judge(set, Map.of("web", "1.2.0", "chart", "0.3.0"), orders))
        .isInstanceOf(Verdict.Same.class);
    Verdict back = SourceSets.judge(set, Map.of("web", "1.1.0", "chart", "0.4.0"), orders);
    assertThat(back).isInstanceOf(Verdict.Backwards.class);
    assertThat(((Verdict.Backwards) back).message())
        .isEqualTo("unit chart 0.3.0 is older than 0.4.0");
    Verdict unknown = SourceSets.judge(set, Map.of("web", "main-abc"), orders);
    assertThat(((Verdict.Backwards) unknown).message())
        .isEqualTo("unit web 1.2.0 cannot be ordered against main-abc");
  }

  @Test
  void availableSetsAreThoseNewerThanWhatTheFleetProved() {
    List<DiscoveredSet> sets =
        sets(
            SourceSets.assemble(
                List.of(member("web-image", "web", "1.0.0"), member("web-chart", "chart", "0.3.0")),
                null,
                10,
                T0),
            true);
    sets =
        sets(
            SourceSets.assemble(
                List.of(
                    member("web-image", "web", "1.1.0", "1.0.0"),
                    member("web-chart", "chart", "0.3.0")),
                sets,
                10,
                T1),
            true);
    Map<String, VersionOrder> orders = Map.of("web", semver(), "chart", semver());
    assertThat(SourceSets.available(sets, Map.of("web", "1.0.0", "chart", "0.3.0"), orders))
        .containsExactly(sets.get(0).getName());
    assertThat(SourceSets.available(sets, Map.of(), orders))
        .containsExactly(sets.get(0).getName(), sets.get(1).getName());
    assertThat(SourceSets.available(sets, Map.of("web", "1.1.0", "chart", "0.3.0"), orders))
        .isEmpty();
  }

  @Test
  void theOrderIsTheSourcesRecordFirstThenItsTagPolicy() {
    // a branch's commits have no order of their own: the Source's newest-first record gives it
    VersionOrder commits =
        VersionOrder.of(List.of(version("cfg", "c3", "d3"), version("cfg", "c2", "d2")), null);
    assertThat(commits.newer("c3", "c2")).contains(true);
    assertThat(commits.newer("c2", "c3")).contains(false);
    assertThat(commits.newer("c3", "c1")).isEmpty();
    assertThat(semver().newer("1.10.0", "1.9.0")).contains(true);
  }

  private static List<DiscoveredSet> sets(Assembly a, boolean added) {
    assertThat(a).isInstanceOf(Assembly.Sets.class);
    assertThat(((Assembly.Sets) a).added()).isEqualTo(added);
    return ((Assembly.Sets) a).sets();
  }

  /** A member whose Source recorded {@code versions}, newest first (SemVer policy). */
  private static Member member(String source, String unit, String... versions) {
    List<DiscoveredVersion> recorded = new ArrayList<>();
    for (String v : versions) {
      recorded.add(version(unit, v, digest(unit, v)));
    }
    return new Member(source, unit, recorded, VersionOrder.of(recorded, semver()));
  }

  private static VersionOrder semver() {
    TagPolicy p = TagPolicy.of(new SourceSpec());
    return p::newerTag;
  }

  private static DiscoveredVersion version(String unit, String v, String digest) {
    DiscoveredVersion d = new DiscoveredVersion();
    d.setVersion(v);
    d.setDigest(digest);
    d.setOrigin("reg/" + unit + ":" + v);
    d.setDiscoveredAt("2026-12-07T09:00:00Z");
    return d;
  }

  private static String digest(String unit, String v) {
    return "sha256:" + io.kapro.hub.kube.ResourceNames.sha256(unit + v);
  }
}
