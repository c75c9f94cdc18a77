package io.kapro.oci.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.MediaTypes;
import io.kapro.oci.mirror.Selection.Content;
import io.kapro.oci.mirror.Selection.Target;
import io.kapro.oci.store.OciLayoutStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectionTest {
  @TempDir Path tmp;

  private OciLayoutStore storeWith(String... repos) {
    OciLayoutStore s = OciLayoutStore.directory(tmp.resolve("s"));
    for (String r : repos) {
      s.putBlob(r, MediaTypes.EMPTY_CONFIG);
    }
    return s;
  }

  @Test
  void allAndNamespacesPickClusterRepositoriesAndTheirEvidence() {
    OciLayoutStore s =
        storeWith(
            "kapro/team-a/edge-1",
            "kapro/team-a/edge-1/evidence",
            "kapro/team-a/edge-2",
            "kapro/team-b/edge-3",
            "kapro/team-b/edge-3/other",
            "kapro/toplevel",
            "other/team-a/edge-1");

    assertThat(Selection.all("kapro").resolve(s))
        .extracting(Target::repository)
        .containsExactly("kapro/team-a/edge-1", "kapro/team-a/edge-2", "kapro/team-b/edge-3");
    assertThat(Selection.all("kapro").with(Content.BOTH).resolve(s))
        .containsExactly(
            new Target("kapro/team-a/edge-1", RepositoryKind.BUNDLES),
            new Target("kapro/team-a/edge-2", RepositoryKind.BUNDLES),
            new Target("kapro/team-b/edge-3", RepositoryKind.BUNDLES),
            new Target("kapro/team-a/edge-1/evidence", RepositoryKind.EVIDENCE));
    assertThat(Selection.namespaces("kapro", List.of("team-b")).resolve(s))
        .extracting(Target::repository)
        .containsExactly("kapro/team-b/edge-3");
    assertThat(Selection.all("other").with(Content.EVIDENCE).resolve(s)).isEmpty();
  }

  @Test
  void clustersNeedNoListingAndNameTheirEvidence() {
    OciLayoutStore s = storeWith();
    assertThat(
            Selection.clusters("fleets/prod", List.of("team-a/edge-1"))
                .with(Content.BOTH)
                .resolve(s))
        .containsExactly(
            new Target("fleets/prod/team-a/edge-1", RepositoryKind.BUNDLES),
            new Target("fleets/prod/team-a/edge-1/evidence", RepositoryKind.EVIDENCE));
  }

  @Test
  void badInputNamesTheFieldAndTheFix() {
    OciLayoutStore s = storeWith();
    for (Selection bad :
        List.of(
            Selection.all("Kapro"),
            Selection.all(""),
            Selection.clusters("kapro", List.of("team-a/edge-1/x")),
            Selection.clusters("kapro", List.of("team-a/Edge")),
            Selection.namespaces("kapro", List.of("../etc")))) {
      assertThatThrownBy(() -> bad.resolve(s))
          .as(bad.toString())
          .isInstanceOfSatisfying(
              OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT));
    }
    assertThatThrownBy(() -> Selection.clusters("kapro", List.of()))
        .hasMessageContaining("--cluster");
  }
}
