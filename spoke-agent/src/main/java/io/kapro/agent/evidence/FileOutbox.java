package io.kapro.agent.evidence;

import io.kapro.agent.evidence.OutboxException.Reason;
import io.kapro.agent.v1.AgentMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Outbox} in an append-only file, {@code outbox.log} in a directory of the agent's state.
 *
 * <p>Every append and ack is one length-prefixed, CRC32C-checked record, forced to disk before the
 * call returns. Opening replays the file: a record cut short by a crash at the end is dropped, a
 * damaged record in the middle is refused with {@link Reason#CORRUPT}. When acked records make up
 * most of the file it is rewritten (temp file, fsync, atomic rename, fsync of the directory), so
 * the file stays bounded by about twice the pending items plus {@code compactAboveBytes}. A lock
 * file keeps a second process out.
 */
public final class FileOutbox implements Outbox {
  /** Default size above which the file is considered for compaction. */
  public static final long DEFAULT_COMPACT_ABOVE_BYTES = 256 * 1024;

  /** Largest file opened (a bounded outbox never gets near it). */
  public static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

  static final String FILE_NAME = "outbox.log";
  static final String COMPACT_NAME = "outbox.log.compact";
  static final String LOCK_NAME = "outbox.lock";

  private static final Logger LOGGER = LoggerFactory.getLogger(FileOutbox.class);

  private final Path dir;
  private final Path file;
  private final long compactAboveBytes;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final TreeMap<Long, AgentMessage> pending;
  private FileChannel channel;
  private long lastNumber;
  private long ackedUpTo;
  private long pendingBytes;
  private boolean broken;
  private boolean closed;

  private FileOutbox(
      Path dir, long compactAboveBytes, FileChannel lockChannel, FileLock lock, OutboxScan scan)
      throws IOException {
    this.dir = dir;
    this.file = dir.resolve(FILE_NAME);
    this.compactAboveBytes = compactAboveBytes;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.pending = scan.pending;
    this.lastNumber = scan.lastNumber;
    this.ackedUpTo = scan.ackedUpTo;
    this.pendingBytes =
        pending.entrySet().stream().mapToLong(e -> sizeOf(e.getKey(), e.getValue())).sum();
  }

  /** Opens (or creates) the outbox in {@code dir} with the default compaction size. */
  public static FileOutbox open(Path dir) {
    return open(dir, DEFAULT_COMPACT_ABOVE_BYTES);
  }

  /**
   * Opens (or creates) the outbox in {@code dir}, recovering from a crash.
   *
   * @param compactAboveBytes file size above which compaction is considered
   * @throws OutboxException CORRUPT for a damaged file, LOCKED when another process holds it, IO
   */
  public static FileOutbox open(Path dir, long compactAboveBytes) {
    FileChannel lockChannel = null;
    try {
      Files.createDirectories(dir);
      lockChannel =
          FileChannel.open(
              dir.resolve(LOCK_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new OutboxException(
            Reason.LOCKED, "outbox " + dir + " is in use by another agent process; stop it first");
      }
      Files.deleteIfExists(dir.resolve(COMPACT_NAME));
      Path file = dir.resolve(FILE_NAME);
      byte[] bytes = readAll(file);
      OutboxScan scan = OutboxScan.of(file, bytes);
      FileOutbox outbox = new FileOutbox(dir, compactAboveBytes, lockChannel, lock, scan);
      outbox.openChannel(bytes.length, scan.validEnd);
      LOGGER.info(
          "Outbox {} opened: {} pending, last number {}",
          file,
          outbox.pending.size(),
          outbox.lastNumber);
      return outbox;
    } catch (IOException e) {
      closeQuietly(lockChannel);
      throw new OutboxException(Reason.IO, "cannot open outbox in " + dir + ": " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(lockChannel);
      throw e;
    }
  }

  private static byte[] readAll(Path file) throws IOException {
    if (!Files.exists(file)) {
      return new byte[0];
    }
    long size = Files.size(file);
    if (size > MAX_FILE_BYTES) {
      throw new OutboxException(
          Reason.CORRUPT,
          "outbox file "
              + file
              + " is "
              + size
              + " bytes, above the limit of "
              + MAX_FILE_BYTES
              + "; move it aside and start again");
    }
    return Files.readAllBytes(file);
  }

  private void openChannel(long size, long validEnd) throws IOException {
    if (validEnd < 0) {
      // New outbox, or a crash while the header was being written.
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(OutboxRecord.MAGIC));
      channel.force(true);
      syncDirectory();
      return;
    }
    channel = FileChannel.open(file, StandardOpenOption.WRITE);
    if (validEnd < size) {
      LOGGER.warn(
          "Outbox {}: dropped a torn last record ({} bytes at {})",
          file,
          size - validEnd,
          validEnd);
      channel.truncate(validEnd);
      channel.force(true);
    }
    channel.position(validEnd);
  }

  @Override
  public synchronized AgentMessage append(AgentMessage unnumbered) {
    usable();
    long number = lastNumber + 1;
    AgentMessage numbered = numbered(unnumbered, number);
    write(new OutboxRecord.Append(number, numbered).encode());
    lastNumber = number;
    pending.put(number, numbered);
    pendingBytes += sizeOf(number, numbered);
    maybeCompact();
    return numbered;
  }

  @Override
  public synchronized List<AgentMessage> pending() {
    return new ArrayList<>(pending.values());
  }

  @Override
  public synchronized void ack(long upTo) {
    usable();
    long effective = Math.min(upTo, lastNumber);
    if (upTo > lastNumber) {
      LOGGER.warn(
          "Hub acked evidence up to {} but the last number assigned is {}", upTo, lastNumber);
    }
    if (effective <= ackedUpTo) {
      return;
    }
    write(new OutboxRecord.Ack(effective).encode());
    ackedUpTo = effective;
    var acked = pending.headMap(effective, true);
    acked.forEach((n, m) -> pendingBytes -= sizeOf(n, m));
    acked.clear();
    maybeCompact();
  }

  @Override
  public synchronized long lastNumber() {
    return lastNumber;
  }

  @Override
  public synchronized int depth() {
    return pending.size();
  }

  /** Current size of the file in bytes. */
  public synchronized long fileSize() {
    try {
      return channel.size();
    } catch (IOException e) {
      throw new OutboxException(Reason.IO, "cannot stat outbox " + file, e);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly(channel);
    try {
      lock.release();
    } catch (IOException e) {
      LOGGER.debug("Releasing the outbox lock failed", e);
    }
    closeQuietly(lockChannel);
  }

  private static AgentMessage numbered(AgentMessage m, long number) {
    return switch (m.getBodyCase()) {
      case EVIDENCE ->
          m.toBuilder().setEvidence(m.getEvidence().toBuilder().setNumber(number)).build();
      case REJECTION ->
          m.toBuilder().setRejection(m.getRejection().toBuilder().setNumber(number)).build();
      default ->
          throw new IllegalArgumentException(
              "the outbox stores evidence and rejections only, not " + m.getBodyCase());
    };
  }

  private void usable() {
    if (closed || broken) {
      throw new OutboxException(
          Reason.CLOSED,
          closed
              ? "outbox " + file + " is closed"
              : "outbox " + file + " failed earlier; reopen it");
    }
  }

  /** Writes and forces one record; on failure cuts the file back so no partial record stays. */
  private void write(ByteBuffer record) {
    long before = -1;
    try {
      before = channel.position();
      while (record.hasRemaining()) {
        channel.write(record);
      }
      channel.force(false);
    } catch (IOException e) {
      try {
        if (before >= 0) {
          channel.truncate(before);
          channel.position(before);
          channel.force(true);
        }
      } catch (IOException again) {
        broken = true;
      }
      throw new OutboxException(Reason.IO, "cannot write outbox " + file + ": " + e, e);
    }
  }

  @Override
  public synchronized boolean continueAbove(long floor) {
    usable();
    if (floor <= lastNumber) {
      return false;
    }
    TreeMap<Long, AgentMessage> renumbered = new TreeMap<>();
    long next = floor;
    for (AgentMessage m : pending.values()) {
      next++;
      renumbered.put(next, numbered(m, next));
    }
    long size = fileSize();
    if (!rewrite(next, floor, renumbered)) {
      throw new OutboxException(
          Reason.IO, "cannot continue the numbering of " + file + " above " + floor);
    }
    LOGGER.warn(
        "Outbox {}: the hub holds evidence up to {} but this outbox had numbered only up to {}"
            + " (state lost?); numbering continues above {} ({} pending item(s) renumbered)",
        file,
        floor,
        lastNumber,
        floor,
        pending.size());
    pending.clear();
    pending.putAll(renumbered);
    lastNumber = next;
    ackedUpTo = floor;
    pendingBytes =
        pending.entrySet().stream().mapToLong(e -> sizeOf(e.getKey(), e.getValue())).sum();
    LOGGER.debug("Outbox rewritten from {} to {} bytes", size, fileSize());
    return true;
  }

  private void maybeCompact() {
    long size = fileSize();
    if (size <= compactAboveBytes || size <= 2 * (pendingBytes + 64)) {
      return;
    }
    if (rewrite(lastNumber, ackedUpTo, pending)) {
      LOGGER.debug("Outbox compacted from {} to {} bytes", size, fileSize());
    }
  }

  /**
   * Replaces the file by a base record and {@code items} (temp file, fsync, atomic rename, fsync of
   * the directory).
   *
   * @return false when the temp file could not be written (the old file stays)
   */
  private boolean rewrite(long last, long acked, TreeMap<Long, AgentMessage> items) {
    Path tmp = dir.resolve(COMPACT_NAME);
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      writeFully(out, ByteBuffer.wrap(OutboxRecord.MAGIC));
      writeFully(out, new OutboxRecord.Base(last, acked).encode());
      for (var e : items.entrySet()) {
        writeFully(out, new OutboxRecord.Append(e.getKey(), e.getValue()).encode());
      }
      out.force(true);
    } catch (IOException e) {
      LOGGER.warn("Outbox rewrite failed, keeping the old file: {}", e.toString());
      return false;
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory();
      closeQuietly(channel);
      channel = FileChannel.open(file, StandardOpenOption.WRITE);
      channel.position(channel.size());
      return true;
    } catch (IOException e) {
      broken = true;
      throw new OutboxException(Reason.IO, "outbox rewrite of " + file + " failed: " + e, e);
    }
  }

  private static void writeFully(FileChannel out, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      out.write(buf);
    }
  }

  private void syncDirectory() throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  private static long sizeOf(long number, AgentMessage m) {
    return OutboxRecord.HEADER + 9 + m.getSerializedSize();
  }

  private static void closeQuietly(FileChannel c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        LOGGER.debug("Closing a channel failed", e);
      }
    }
  }
}
