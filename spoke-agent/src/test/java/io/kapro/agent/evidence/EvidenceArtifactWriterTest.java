package io.kapro.agent.evidence;

import static io.kapro.agent.evidence.OutboxItems.evidence;
import static io.kapro.agent.evidence.OutboxItems.rejection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.agent.testing.TestCa;
import io.kapro.agent.tls.SignerMaterial;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.oci.OciException;
import io.kapro.oci.evidence.EvidenceVerifier;
import io.kapro.oci.evidence.VerifiedEvidence;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.store.OciLayoutStore;
import io.kapro.oci.verify.ClusterIdentity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evidence artifacts from the outbox: signed, complete, idempotent across crashes. */
class EvidenceArtifactWriterTest {
  static final TestCa CA = TestCa.create("kapro hub CA");
  static final String REPO = "kapro/team-a/edge-1/evidence";
  static final ClusterIdentity EDGE = new ClusterIdentity("team-a", "edge-1");

  @TempDir Path dir;
  final TestCa.Issued agent = CA.issueAgent("team-a", "edge-1");

  SignerMaterial signer() {
    return new SignerMaterial(agent.key().getPrivate(), List.of(agent.certificate()));
  }

  EvidenceArtifactWriter writer(Outbox box, BundleStore store) {
    return new EvidenceArtifactWriter(box, store, REPO, EDGE, this::signer, Clock.systemUTC());
  }

  static List<AgentMessage> decode(byte[] payload) throws IOException {
    List<AgentMessage> out = new ArrayList<>();
    ByteArrayInputStream in = new ByteArrayInputStream(payload);
    AgentMessage m;
    while ((m = AgentMessage.parseDelimitedFrom(in)) != null) {
      out.add(m);
    }
    return out;
  }

  @Test
  void writesPendingItemsAsOneSignedArtifactThenDropsThem() throws Exception {
    try (FileOutbox box = FileOutbox.open(dir.resolve("outbox"));
        OciLayoutStore store = OciLayoutStore.directory(dir.resolve("layout"))) {
      List<AgentMessage> stored = List.of(box.append(evidence(1)), box.append(rejection(2)));
      assertThat(writer(box, store).flush()).isEqualTo(1);
      assertThat(box.depth()).isZero();
      VerifiedEvidence v =
          new EvidenceVerifier(List.of(CA.certificate())).verify(store, REPO, "latest");
      assertThat(v.sequence()).isEqualTo(2);
      assertThat(v.cluster()).isEqualTo(EDGE);
      assertThat(decode(v.payload())).containsExactlyElementsOf(stored);
      assertThat(writer(box, store).flush()).isZero();

      box.append(evidence(3));
      assertThat(writer(box, store).flush()).isEqualTo(1);
      assertThat(store.listTags(REPO)).contains("seq-2", "seq-3", "latest");
      assertThat(
              new EvidenceVerifier(List.of(CA.certificate()))
                  .verify(store, REPO, "latest")
                  .sequence())
          .isEqualTo(3);
    }
  }

  @Test
  void aCrashBetweenWriteAndAckNeitherLosesNorDuplicates() throws Exception {
    try (OciLayoutStore store = OciLayoutStore.directory(dir.resolve("layout"))) {
      AtomicBoolean crash = new AtomicBoolean(true);
      try (FileOutbox box = FileOutbox.open(dir.resolve("outbox"))) {
        box.append(evidence(1));
        box.append(evidence(2));
        Outbox crashing = new CrashOnAck(box, crash);
        assertThatThrownBy(() -> writer(crashing, store).flush()).hasMessageContaining("crash");
      }
      String written = store.resolve(REPO, "seq-2").orElseThrow().digest();
      try (FileOutbox box = FileOutbox.open(dir.resolve("outbox"))) {
        assertThat(box.depth()).isEqualTo(2); // not acked: still pending after the restart
        assertThat(writer(box, store).flush()).isZero(); // seq-2 is there: ack, no rewrite
        assertThat(box.depth()).isZero();
      }
      assertThat(store.resolve(REPO, "seq-2").orElseThrow().digest()).isEqualTo(written);
    }
  }

  @Test
  void afterAWipeNumberingContinuesAboveTheRepositoryAndNewEvidenceIsNeitherDroppedNorHidden()
      throws Exception {
    try (OciLayoutStore store = OciLayoutStore.directory(dir.resolve("layout"))) {
      try (FileOutbox before = FileOutbox.open(dir.resolve("outbox-before"))) {
        before.append(evidence(1));
        before.append(evidence(2));
        before.append(evidence(3));
        assertThat(writer(before, store).flush()).isEqualTo(1); // seq-3, imported by the hub
      }
      String old = store.resolve(REPO, "seq-3").orElseThrow().digest();

      // the state directory is wiped: a new outbox numbers from 1 again
      try (FileOutbox wiped = FileOutbox.open(dir.resolve("outbox-after"))) {
        AgentMessage a = wiped.append(rejection(7));
        wiped.append(evidence(8));
        wiped.append(evidence(9));
        assertThat(OutboxItems.number(a)).isEqualTo(1);
        assertThat(writer(wiped, store).flush()).isEqualTo(1);
        assertThat(wiped.depth()).isZero();
        assertThat(wiped.lastNumber()).isGreaterThan(3);
      }
      // seq-3 (the hub's) is untouched; the new evidence sits above it, where the hub reads
      assertThat(store.resolve(REPO, "seq-3").orElseThrow().digest()).isEqualTo(old);
      VerifiedEvidence latest =
          new EvidenceVerifier(List.of(CA.certificate())).verify(store, REPO, "latest");
      List<AgentMessage> items = decode(latest.payload());
      assertThat(items).hasSize(3);
      assertThat(items.stream().map(OutboxItems::number)).allMatch(n -> n > 3).isSorted();
      assertThat(items.get(0).getRejection().getBundleSequence())
          .isEqualTo(rejection(7).getRejection().getBundleSequence());
      assertThat(latest.sequence()).isEqualTo(OutboxItems.number(items.get(2)));
    }
  }

  @Test
  void aCrashFollowedByNewEvidenceAcksWhatWasWrittenAndWritesOnlyTheNewItems() throws Exception {
    try (OciLayoutStore store = OciLayoutStore.directory(dir.resolve("layout"))) {
      try (FileOutbox box = FileOutbox.open(dir.resolve("outbox"))) {
        box.append(evidence(1));
        box.append(evidence(2));
        Outbox crashing = new CrashOnAck(box, new AtomicBoolean(true));
        assertThatThrownBy(() -> writer(crashing, store).flush()).hasMessageContaining("crash");
      }
      try (FileOutbox box = FileOutbox.open(dir.resolve("outbox"))) {
        AgentMessage third = box.append(evidence(3)); // reported after the restart
        assertThat(writer(box, store).flush()).isEqualTo(1);
        assertThat(box.depth()).isZero();
        VerifiedEvidence v =
            new EvidenceVerifier(List.of(CA.certificate())).verify(store, REPO, "latest");
        assertThat(v.sequence()).isEqualTo(3);
        assertThat(decode(v.payload())).containsExactly(third); // not renumbered, not repeated
      }
    }
  }

  @Test
  void aFailingStoreKeepsEverythingInTheOutbox() {
    try (FileOutbox box = FileOutbox.open(dir.resolve("outbox"))) {
      box.append(evidence(1));
      BundleStore layout = OciLayoutStore.directory(dir.resolve("layout"));
      BundleStore down =
          (BundleStore)
              java.lang.reflect.Proxy.newProxyInstance(
                  BundleStore.class.getClassLoader(),
                  new Class<?>[] {BundleStore.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("putManifest")) {
                      throw new OciException(OciException.Reason.UNREACHABLE, "registry down");
                    }
                    try {
                      return method.invoke(layout, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
      assertThatThrownBy(() -> writer(box, down).flush()).hasMessageContaining("registry down");
      assertThat(box.depth()).isEqualTo(1);
    }
  }

  @Test
  void largeBacklogsAreSplitIntoSeveralArtifacts() throws Exception {
    try (FileOutbox box = FileOutbox.open(dir.resolve("outbox"));
        OciLayoutStore store = OciLayoutStore.directory(dir.resolve("layout"))) {
      String big = "x".repeat(300 * 1024);
      for (int i = 1; i <= 5; i++) {
        AgentMessage m = evidence(i);
        box.append(
            m.toBuilder()
                .setEvidence(
                    m.getEvidence().toBuilder()
                        .setUnits(0, m.getEvidence().getUnits(0).toBuilder().setMessage(big)))
                .build());
      }
      assertThat(writer(box, store).flush()).isEqualTo(2);
      assertThat(store.listTags(REPO)).contains("seq-3", "seq-5", "latest");
      EvidenceVerifier v = new EvidenceVerifier(List.of(CA.certificate()));
      assertThat(decode(v.verify(store, REPO, "seq-3").payload())).hasSize(3);
      assertThat(decode(v.verify(store, REPO, "seq-5").payload())).hasSize(2);
    }
  }

  /** Forwards to an outbox, but the first ack "crashes" (the process dies before it). */
  private record CrashOnAck(Outbox delegate, AtomicBoolean crash) implements Outbox {
    @Override
    public AgentMessage append(AgentMessage unnumbered) {
      return delegate.append(unnumbered);
    }

    @Override
    public List<AgentMessage> pending() {
      return delegate.pending();
    }

    @Override
    public void ack(long upTo) {
      if (crash.getAndSet(false)) {
        throw new IllegalStateException("crash before the ack");
      }
      delegate.ack(upTo);
    }

    @Override
    public boolean continueAbove(long floor) {
      return delegate.continueAbove(floor);
    }

    @Override
    public long lastNumber() {
      return delegate.lastNumber();
    }

    @Override
    public int depth() {
      return delegate.depth();
    }

    @Override
    public void close() {}
  }
}
