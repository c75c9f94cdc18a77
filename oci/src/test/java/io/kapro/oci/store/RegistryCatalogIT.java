package io.kapro.oci.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.bundle.MediaTypes;
import io.kapro.oci.testing.LocalRegistry;
import io.kapro.oci.testing.Registries;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Repository listing (catalog pages) and blob presence against the real registry. */
class RegistryCatalogIT {

  @Test
  void listsEveryPageAndChecksBlobs() {
    try (LocalRegistry reg = LocalRegistry.startTls("lister", "list-pass")) {
      RegistryStore store = new RegistryStore(Registries.config(reg));
      List<String> repos = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        String repo = "kapro/team-a/c" + i;
        repos.add(repo);
        store.putBlob(repo, MediaTypes.EMPTY_CONFIG);
        store.putManifest(repo, "x", emptyManifest());
      }
      assertThat(store.repositories()).containsExactlyElementsOf(repos);
      HttpClient http =
          HttpClient.newBuilder().sslContext(RegistryTls.context(Registries.config(reg))).build();
      RegistryAuth auth = new RegistryAuth(Registries.config(reg), http);
      assertThat(new RegistryCatalog(Registries.config(reg), http, auth, 3, 100).list())
          .containsExactlyElementsOf(repos);
      assertThatThrownBy(() -> new RegistryCatalog(Registries.config(reg), http, auth, 2, 4).list())
          .isInstanceOfSatisfying(
              OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE))
          .hasMessageContaining("select clusters");

      assertThat(store.hasBlob("kapro/team-a/c0", MediaTypes.EMPTY_CONFIG_DIGEST)).isTrue();
      assertThat(store.hasBlob("kapro/team-a/c0", Digests.sha256(new byte[] {1}))).isFalse();
    }
  }

  @Test
  void catalogThroughTheTokenFlowAsksForTheCatalogScope() {
    try (LocalRegistry reg = LocalRegistry.startWithTokenAuth("lister", "token-pass")) {
      RegistryStore store = new RegistryStore(Registries.config(reg));
      store.putBlob("kapro/team-a/tok", MediaTypes.EMPTY_CONFIG);
      store.putManifest("kapro/team-a/tok", "x", emptyManifest());
      assertThat(store.repositories()).containsExactly("kapro/team-a/tok");
      assertThat(store.hasBlob("kapro/team-a/tok", MediaTypes.EMPTY_CONFIG_DIGEST)).isTrue();
    }
  }

  @Test
  void catalogWithoutCredentialsSaysWhatToCheck() {
    try (LocalRegistry reg = LocalRegistry.startTls("lister", "list-pass")) {
      RegistryStore anonymous =
          new RegistryStore(Registries.config(reg, new RegistryConfig.Credentials.None()));
      assertThatThrownBy(anonymous::repositories)
          .isInstanceOfSatisfying(
              OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.AUTH_FAILED))
          .hasMessageContaining(reg.url())
          .hasMessageContaining("catalog");
    }
  }

  private static byte[] emptyManifest() {
    return ("{\"schemaVersion\":2,\"mediaType\":\""
            + MediaTypes.OCI_MANIFEST
            + "\",\"config\":"
            + "{\"mediaType\":\""
            + MediaTypes.OCI_EMPTY
            + "\",\"digest\":\""
            + MediaTypes.EMPTY_CONFIG_DIGEST
            + "\",\"size\":2},\"layers\":[]}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
