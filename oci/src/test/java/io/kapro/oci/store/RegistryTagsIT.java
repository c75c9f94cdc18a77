package io.kapro.oci.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.oci.OciException;
import io.kapro.oci.testing.LocalRegistry;
import io.kapro.oci.testing.TagFloodRegistry;
import io.kapro.oci.testing.TestImages;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tag listing with pagination against the real distribution registry (which pages with {@code n},
 * {@code last} and a {@code Link: <...>; rel="next"} header, per the OCI distribution spec's
 * "Listing Tags" section), and against a registry that lists 100,000 tags.
 */
class RegistryTagsIT {
  @Test
  void followsTheRegistrysNextLinksUntilTheLastPage() {
    try (LocalRegistry registry = LocalRegistry.startPlain();
        RegistryStore store = new RegistryStore(RegistryConfig.plainHttp(registry.host()))) {
      List<String> pushed = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        String tag = "1.0." + i;
        TestImages.push(registry.host(), "team/app", tag);
        pushed.add(tag);
      }
      // page size 2: four pages, the registry's Link headers lead from one to the next
      assertThat(store.listAllTags("team/app", 2, 100)).containsExactlyInAnyOrderElementsOf(pushed);
      assertThat(store.listAllTags("team/app", 100, 100)).hasSize(7);
      assertThatThrownBy(() -> store.listAllTags("team/app", 2, 5))
          .isInstanceOf(OciException.class)
          .hasMessageContaining("lists more than 5 tags");
      assertThatThrownBy(() -> store.listAllTags("team/nothing", 10, 100))
          .isInstanceOf(OciException.class)
          .hasMessageContaining("team/nothing does not exist");
    }
  }

  @Test
  void aRegistryListingOneHundredThousandTagsIsCutAtTheLimit() {
    try (TagFloodRegistry flood = TagFloodRegistry.start(100_000);
        RegistryStore store = new RegistryStore(RegistryConfig.plainHttp(flood.hostAndPort()))) {
      assertThatThrownBy(() -> store.listAllTags("flood/app", 1000, 10_000))
          .isInstanceOf(OciException.class)
          .hasMessageContaining("lists more than 10000 tags")
          .hasMessageContaining("stopped after 11 pages");
      assertThat(flood.pagesServed()).isEqualTo(11);
      assertThat(store.listAllTags("flood/app", 1000, 100_000)).hasSize(100_000);
    }
  }
}
