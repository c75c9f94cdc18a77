package io.kapro.oci.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.oci.OciException;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.store.OciLayoutStore;
import io.kapro.oci.store.RegistryStore;
import io.kapro.oci.testing.AttackCorpus;
import io.kapro.oci.testing.AttackCorpus.Attack;
import io.kapro.oci.testing.LocalRegistry;
import io.kapro.oci.testing.Registries;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attack corpus through every transport: the real registry (TLS + auth), a layout tar. */
class AttackCorpusIT {
  static LocalRegistry registry;
  static final SigningKey HUB = SigningKey.generate();

  @BeforeAll
  static void start() {
    registry = LocalRegistry.startTls("hub", "pw-for-attacks");
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void registryRejectsEveryAttack() {
    AttackCorpus corpus = new AttackCorpus(HUB, "kapro/attacks");
    BundleStore store = new RegistryStore(Registries.config(registry));
    assertAllRejected(corpus, corpus.writeInto(store));
    acceptsLegitimate(corpus, store);
  }

  @Test
  void layoutTarRejectsEveryAttack(@TempDir Path dir) {
    AttackCorpus corpus = new AttackCorpus(HUB, "kapro/attacks");
    Path tar = dir.resolve("attacks.tar");
    List<Attack> written;
    try (OciLayoutStore out = OciLayoutStore.tar(tar)) {
      written = corpus.writeInto(out);
    }
    // carried across the gap: read back from the tar only (tampering happened at rest, in the tar)
    try (OciLayoutStore in = OciLayoutStore.tar(tar)) {
      List<Attack> attacks =
          written.stream()
              .map(a -> new Attack(a.name(), a.expected(), a.repository(), a.reference(), in))
              .toList();
      assertAllRejected(corpus, attacks);
      acceptsLegitimate(corpus, in);
    }
  }

  private static void assertAllRejected(AttackCorpus corpus, List<Attack> attacks) {
    assertThat(attacks).hasSizeGreaterThanOrEqualTo(11);
    BundleVerifier verifier = corpus.verifier();
    for (Attack a : attacks) {
      assertThatThrownBy(
              () ->
                  verifier.verify(a.view(), a.repository(), a.reference(), corpus.highWaterMark()))
          .as(a.name())
          .isInstanceOfSatisfying(
              OciException.class,
              e ->
                  assertThat(e.reason())
                      .as(a.name() + ": " + e.getMessage())
                      .isEqualTo(a.expected()));
    }
  }

  private static void acceptsLegitimate(AttackCorpus corpus, BundleStore store) {
    String repo = "kapro/team-a/edge-1";
    store.put(repo, SignedBundle.sign(corpus.legitimate(), HUB, repo));
    assertThat(corpus.verifier().verify(store, repo, "desired", corpus.highWaterMark()).payload())
        .isEqualTo(corpus.legitimate());
  }
}
