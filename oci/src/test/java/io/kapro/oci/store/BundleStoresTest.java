package io.kapro.oci.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleStoresTest {
  @Test
  void opensLayoutsAndRegistries(@TempDir Path dir) {
    try (BundleStore d = BundleStores.open("oci:" + dir.resolve("layout"), false, null, null)) {
      assertThat(d).isInstanceOf(OciLayoutStore.class);
      assertThat(d.location()).startsWith("oci-layout:");
    }
    try (BundleStore t = BundleStores.open("oci:" + dir.resolve("x.tar"), false, null, null)) {
      assertThat(t.location()).startsWith("oci-layout-tar:");
    }
    assertThat(BundleStores.open("127.0.0.1:5000", true, null, null).location())
        .isEqualTo("http://127.0.0.1:5000");
    assertThat(BundleStores.open("reg.example", false, null, null).location())
        .isEqualTo("https://reg.example");
    assertThatThrownBy(() -> BundleStores.open(" ", false, null, null))
        .hasMessageContaining("oci:<path>");
    assertThatThrownBy(() -> BundleStores.open("http://reg.example", false, null, null))
        .hasMessageContaining("insecure");
  }
}
