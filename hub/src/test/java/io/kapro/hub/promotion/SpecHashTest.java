package io.kapro.hub.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.v1alpha2.PromotionSpec;
import io.kapro.api.v1alpha2.UnitVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecHashTest {
  static PromotionSpec spec(String fleet, String plan, String... unitAndVersion) {
    PromotionSpec s = new PromotionSpec();
    s.setFleet(fleet);
    s.setPlan(plan);
    List<UnitVersion> units = new java.util.ArrayList<>();
    for (int i = 0; i < unitAndVersion.length; i += 2) {
      UnitVersion u = new UnitVersion();
      u.setName(unitAndVersion[i]);
      u.setVersion(unitAndVersion[i + 1]);
      units.add(u);
    }
    s.setUnits(units);
    return s;
  }

  @Test
  void sameSpecSameHashAnyChangeANewOne() {
    String base = SpecHash.of(spec("shop", "p", "web", "1.4.0", "api", "v1.4.0"));
    assertThat(SpecHash.of(spec("shop", "p", "web", "1.4.0", "api", "v1.4.0"))).isEqualTo(base);
    assertThat(
            List.of(
                SpecHash.of(spec("shop", "p", "web", "1.4.1", "api", "v1.4.0")),
                SpecHash.of(spec("shop", "q", "web", "1.4.0", "api", "v1.4.0")),
                SpecHash.of(spec("shop2", "p", "web", "1.4.0", "api", "v1.4.0")),
                SpecHash.of(spec("shop", "p", "web", "1.4.0")),
                SpecHash.of(spec("shop", "p", "web@1", "4.0", "api", "v1.4.0"))))
        .doesNotContain(base)
        .doesNotHaveDuplicates();
  }
}
