package io.kapro.agent.evidence;

import io.kapro.agent.tls.SignerMaterial;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.oci.evidence.EvidenceArtifact;
import io.kapro.oci.evidence.EvidenceStore;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.verify.ClusterIdentity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disconnected mode: writes the outbox's pending evidence (the same {@link AgentMessage}s the hub
 * link streams) as signed evidence artifacts to the cluster's evidence repository, and drops items
 * from the outbox only once the artifact holding them is written. An artifact's sequence is the
 * highest evidence number it carries; when {@code seq-<n>} is already in the repository (a crash
 * between the write and the ack) the items are acked without writing again, so re-runs are
 * idempotent and nothing is lost across restarts.
 */
public final class EvidenceArtifactWriter implements AutoCloseable {
  /** Payload bytes per artifact before a batch is split (one larger item still goes alone). */
  public static final int MAX_ARTIFACT_PAYLOAD = 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(EvidenceArtifactWriter.class);

  private final Outbox outbox;
  private final BundleStore store;
  private final String repository;
  private final ClusterIdentity cluster;
  private final Supplier<SignerMaterial> signer;
  private final Clock clock;
  private ScheduledExecutorService scheduler;

  /**
   * @param repository the evidence repository ({@code <bundle repository>/evidence})
   * @param signer the key and certificate chain to sign with (asked at every write, so renewed
   *     enrollment credentials are used)
   */
  public EvidenceArtifactWriter(
      Outbox outbox,
      BundleStore store,
      String repository,
      ClusterIdentity cluster,
      Supplier<SignerMaterial> signer,
      Clock clock) {
    this.outbox = outbox;
    this.store = store;
    this.repository = repository;
    this.cluster = cluster;
    this.signer = signer;
    this.clock = clock;
  }

  /**
   * Writes every pending item; returns how many artifacts were written (0 when nothing was
   * pending). Store failures propagate; the items then stay in the outbox for the next run.
   */
  public synchronized int flush() {
    int written = 0;
    List<AgentMessage> pending = reconcileWithRepository(outbox.pending());
    int from = 0;
    while (from < pending.size()) {
      int to = from;
      long bytes = 0;
      while (to < pending.size()
          && (to == from || bytes + pending.get(to).getSerializedSize() <= MAX_ARTIFACT_PAYLOAD)) {
        bytes += pending.get(to).getSerializedSize() + 5;
        to++;
      }
      List<AgentMessage> batch = pending.subList(from, to);
      long upTo = number(batch.get(batch.size() - 1));
      Optional<String> existing = EvidenceStore.atSequence(store, repository, upTo);
      if (existing.isPresent()) {
        LOG.info(
            "evidence up to {} already at {} ({}); dropping it from the outbox",
            upTo,
            repository,
            existing.get());
      } else {
        SignerMaterial s = signer.get();
        EvidenceArtifact a =
            EvidenceArtifact.create(
                cluster,
                upTo,
                clock.instant(),
                encode(batch),
                s.signingKey(),
                s.chain(),
                store.location() + "/" + repository);
        String digest = EvidenceStore.put(store, repository, a);
        written++;
        LOG.info(
            "wrote evidence {}..{} to {}:{} ({})",
            number(batch.get(0)),
            upTo,
            repository,
            a.sequenceTag(),
            digest);
      }
      outbox.ack(upTo);
      from = to;
    }
    return written;
  }

  /**
   * The repository is the durable record of how far this cluster's evidence went. Pending items
   * numbered at or below its highest sequence are either the artifact written just before a crash
   * (the ack was lost: exactly the items of {@code seq-<highest>}, same payload), which are acked,
   * or evidence of an agent whose state was wiped and numbers from 1 again: those would be written
   * under numbers the hub already imported (and skipped), so the outbox continues above the
   * repository and above every number it used, renumbering what is pending.
   *
   * @return what is pending afterwards
   */
  private List<AgentMessage> reconcileWithRepository(List<AgentMessage> pending) {
    if (pending.isEmpty()) {
      return pending;
    }
    long highest = EvidenceStore.highestSequence(store, repository);
    List<AgentMessage> below = pending.stream().filter(m -> number(m) <= highest).toList();
    if (below.isEmpty()) {
      return pending;
    }
    boolean crashed =
        number(below.get(below.size() - 1)) == highest
            && EvidenceStore.payloadDigestAt(store, repository, highest)
                .map(d -> d.equals(io.kapro.oci.bundle.Digests.sha256(encode(below))))
                .orElse(false);
    if (crashed) {
      LOG.info(
          "evidence up to {} already at {} (written before a restart); dropping it from the outbox",
          highest,
          repository);
      outbox.ack(highest);
      return outbox.pending();
    }
    long floor = Math.max(highest, outbox.lastNumber() + 1); // a skipped number is harmless
    if (!outbox.continueAbove(floor)) {
      throw new IllegalStateException(
          "pending evidence is numbered at or below "
              + repository
              + "'s highest sequence "
              + highest
              + " and the outbox could not continue above "
              + floor);
    }
    LOG.warn(
        "evidence numbering continues above {} ({} already holds evidence up to {}; this agent's"
            + " state was lost): {} pending item(s) renumbered",
        floor,
        repository,
        highest,
        pending.size());
    return outbox.pending();
  }

  /** Flushes every {@code interval} on a daemon thread; failures are logged and retried. */
  public synchronized void start(Duration interval) {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("kapro-evidence-artifacts").unstarted(r));
    scheduler.scheduleWithFixedDelay(
        this::flushQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.warn(
          "evidence not written to {} yet (kept in the outbox, retried): {}",
          repository,
          e.getMessage());
    }
  }

  /** Length-delimited {@link AgentMessage}s, the payload the hub parses. */
  public static byte[] encode(List<AgentMessage> items) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (AgentMessage m : items) {
        m.writeDelimitedTo(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static long number(AgentMessage m) {
    return m.hasEvidence() ? m.getEvidence().getNumber() : m.getRejection().getNumber();
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }
}
