package io.kapro.oci.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.OciLayoutStore;
import io.kapro.oci.testing.AttackCorpus;
import io.kapro.oci.testing.AttackCorpus.Attack;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BundleVerifier#forTransfer} and {@link Signatures}: integrity without cluster policy. */
class TransferVerificationTest {
  static final SigningKey HUB = SigningKey.generate();
  static final List<Reason> AGENT_POLICY =
      List.of(
          Reason.STALE_SEQUENCE,
          Reason.EXPIRED,
          Reason.NOT_YET_VALID,
          Reason.WRONG_CLUSTER,
          Reason.NOT_ALLOWED);

  @TempDir Path dir;

  @Test
  void rejectsIntegrityAttacksAndLeavesPolicyToTheAgent() {
    AttackCorpus corpus = new AttackCorpus(HUB, "kapro/attacks");
    BundleVerifier transfer = BundleVerifier.forTransfer(TrustedKeys.of(HUB.publicKey())).build();
    try (OciLayoutStore store = OciLayoutStore.directory(dir)) {
      for (Attack a : corpus.writeInto(store)) {
        if (AGENT_POLICY.contains(a.expected())) {
          VerifiedBundle v = transfer.verify(a.view(), a.repository(), a.reference(), 0);
          assertThat(v.keyId()).as(a.name()).isEqualTo(HUB.keyId());
        } else {
          assertThatThrownBy(() -> transfer.verify(a.view(), a.repository(), a.reference(), 0))
              .as(a.name())
              .isInstanceOfSatisfying(
                  OciException.class, e -> assertThat(e.reason()).isEqualTo(a.expected()));
        }
      }
    }
  }

  @Test
  void signaturesAloneNameTheFailure() {
    AttackCorpus corpus = new AttackCorpus(HUB, "kapro/attacks");
    try (OciLayoutStore store = OciLayoutStore.directory(dir)) {
      List<Attack> attacks = corpus.writeInto(store);
      TrustedKeys keys = TrustedKeys.of(HUB.publicKey());
      for (String name : List.of("unsigned", "untrusted-key", "bad-signature")) {
        Attack a = attacks.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        String digest = store.resolve(a.repository(), "desired").orElseThrow().digest();
        assertThatThrownBy(() -> Signatures.verify(store, a.repository(), digest, keys, 65536))
            .as(name)
            .isInstanceOfSatisfying(
                OciException.class, e -> assertThat(e.reason()).isEqualTo(a.expected()));
      }
      Attack expired =
          attacks.stream().filter(x -> x.name().equals("expired")).findFirst().orElseThrow();
      String digest = store.resolve(expired.repository(), "desired").orElseThrow().digest();
      assertThat(Signatures.verify(store, expired.repository(), digest, keys, 65536))
          .isEqualTo(HUB.keyId());
    }
  }
}
