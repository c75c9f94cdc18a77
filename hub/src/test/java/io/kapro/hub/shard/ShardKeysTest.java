package io.kapro.hub.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.PromotionRunSpec;
import io.kapro.api.v1alpha2.PromotionSpec;
import io.kapro.api.v1alpha2.Target;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShardKeysTest {
  /**
   * FNV-1a 32-bit test vectors from the FNV reference: draft-eastlake-fnv (IETF), section 8 /
   * Landon Curt Noll's test vectors (http://www.isthe.com/chongo/src/fnv/test_fnv.c, fnv1a_32).
   */
  @ParameterizedTest
  @CsvSource({"'',811c9dc5", "a,e40c292c", "foobar,bf9cf968"})
  void fnv1a32MatchesTheReferenceVectors(String input, String hex) {
    assertThat(Integer.toHexString(ShardKeys.fnv1a32(input))).isEqualTo(hex);
  }

  @Test
  void aRunItsPromotionItsTargetsAndItsFleetShareAShard() {
    Fleet fleet = new Fleet();
    fleet.getMetadata().setNamespace("shop");
    fleet.getMetadata().setName("web");
    Promotion p = new Promotion();
    p.getMetadata().setNamespace("shop");
    p.getMetadata().setName("rollout");
    p.setSpec(new PromotionSpec());
    p.getSpec().setFleet("web");
    PromotionRun run = new PromotionRun();
    run.getMetadata().setNamespace("shop");
    run.getMetadata().setName("rollout-1");
    run.setSpec(new PromotionRunSpec());
    run.getSpec().setFleet("web");
    Target t = new Target();
    t.getMetadata().setNamespace("shop");
    t.getMetadata().setName("rollout-1-prod-eu-1");
    t.getMetadata().setLabels(Map.of(Kapro.Labels.FLEET, "web"));
    assertThat(ShardKeys.keyOf(fleet)).isEqualTo("shop/web");
    assertThat(ShardKeys.keyOf(p)).isEqualTo("shop/web");
    assertThat(ShardKeys.keyOf(run)).isEqualTo("shop/web");
    assertThat(ShardKeys.keyOf(t)).isEqualTo("shop/web");
    // a Source starts the fleet's Promotions: it is reconciled where they are
    io.kapro.api.v1alpha2.Source source = new io.kapro.api.v1alpha2.Source();
    source.getMetadata().setNamespace("shop");
    source.getMetadata().setName("web-image");
    source.setSpec(new io.kapro.api.v1alpha2.SourceSpec());
    source.getSpec().setFleet("web");
    assertThat(ShardKeys.keyOf(source)).isEqualTo("shop/web");
    // the same fleet name in another namespace is another key
    fleet.getMetadata().setNamespace("bank");
    assertThat(ShardKeys.keyOf(fleet)).isEqualTo("bank/web");
  }

  @Test
  void clustersSpreadEvenlyAcrossShards() {
    Map<Integer, Integer> counts = new HashMap<>();
    IntStream.range(0, 10_000)
        .forEach(
            i -> {
              Cluster c = new Cluster();
              c.getMetadata().setNamespace("shop");
              c.getMetadata().setName("cluster-" + i);
              counts.merge(ShardKeys.shardOf(c, 4), 1, Integer::sum);
            });
    assertThat(counts).hasSize(4);
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(2_250, 2_750));
  }

  @Test
  void aShardCountBelowOneIsRefused() {
    assertThatThrownBy(() -> ShardKeys.shardOf("x", 0)).hasMessageContaining("at least 1");
  }
}
