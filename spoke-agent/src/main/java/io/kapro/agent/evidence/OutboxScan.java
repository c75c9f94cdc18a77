package io.kapro.agent.evidence;

import io.kapro.agent.evidence.OutboxException.Reason;
import io.kapro.agent.v1.AgentMessage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * Replays an outbox file into its state. A damaged record at the end is a write the crash cut short
 * and is dropped; a damaged record followed by more data is corruption and is refused.
 */
final class OutboxScan {
  long lastNumber;
  long ackedUpTo;

  /** Number of the last item record read (or the acked floor after a base record). */
  private long lastAppend;

  final TreeMap<Long, AgentMessage> pending = new TreeMap<>();

  /** Where the valid records end; everything after it is a torn tail. */
  long validEnd;

  private final Path file;

  private OutboxScan(Path file) {
    this.file = file;
  }

  /** Scans {@code bytes}, the whole file. An empty array (or a torn magic) is a new outbox. */
  static OutboxScan of(Path file, byte[] bytes) {
    OutboxScan scan = new OutboxScan(file);
    int magic = OutboxRecord.MAGIC.length;
    if (bytes.length < magic) {
      if (!Arrays.equals(bytes, 0, bytes.length, OutboxRecord.MAGIC, 0, bytes.length)) {
        throw scan.corrupt(0, "does not start with the outbox header");
      }
      scan.validEnd = -1;
      return scan;
    }
    if (!Arrays.equals(bytes, 0, magic, OutboxRecord.MAGIC, 0, magic)) {
      throw scan.corrupt(0, "does not start with the outbox header");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    int pos = magic;
    while (pos < bytes.length) {
      int next = scan.record(buf, pos);
      if (next < 0) {
        break;
      }
      pos = next;
    }
    if (pos >= bytes.length) {
      scan.validEnd = pos;
    }
    return scan;
  }

  /** Reads the record at {@code pos}; returns the next position, or -1 at a torn tail. */
  private int record(ByteBuffer buf, int pos) {
    int size = buf.limit();
    if (size - pos < OutboxRecord.HEADER) {
      return torn(buf, pos, "header cut short");
    }
    int length = buf.getInt(pos);
    int crc = buf.getInt(pos + 4);
    if (length <= 0 || length > OutboxRecord.MAX_BODY) {
      return torn(buf, pos, "length " + length + " out of range");
    }
    long end = (long) pos + OutboxRecord.HEADER + length;
    if (end > size) {
      return torn(buf, pos, "record runs past the end of the file");
    }
    ByteBuffer body = buf.slice(pos + OutboxRecord.HEADER, length);
    if (OutboxRecord.crc(body) != crc) {
      return torn(buf, pos, "checksum mismatch");
    }
    OutboxRecord record;
    try {
      record = OutboxRecord.decode(body);
    } catch (IllegalArgumentException e) {
      throw corrupt(pos, e.getMessage());
    }
    apply(record, pos);
    return (int) end;
  }

  private void apply(OutboxRecord record, int pos) {
    switch (record) {
      case OutboxRecord.Append a -> {
        if (a.number() <= lastAppend || a.number() <= ackedUpTo) {
          throw corrupt(
              pos,
              "item number " + a.number() + " is not above " + Math.max(lastAppend, ackedUpTo));
        }
        lastAppend = a.number();
        lastNumber = Math.max(lastNumber, a.number());
        if (a.number() > ackedUpTo) {
          pending.put(a.number(), a.message());
        }
      }
      case OutboxRecord.Ack a -> {
        if (a.upTo() > lastNumber) {
          throw corrupt(pos, "ack of " + a.upTo() + " is above the last number " + lastNumber);
        }
        ackedUpTo = Math.max(ackedUpTo, a.upTo());
        pending.headMap(ackedUpTo, true).clear();
      }
      case OutboxRecord.Base b -> {
        if (pos != OutboxRecord.MAGIC.length
            || b.ackedUpTo() > b.lastNumber()
            || b.ackedUpTo() < 0) {
          throw corrupt(pos, "inconsistent base record");
        }
        lastNumber = b.lastNumber();
        ackedUpTo = b.ackedUpTo();
        lastAppend = b.ackedUpTo();
      }
    }
  }

  /**
   * A bad record is a torn tail only if no intact record follows it: a crash cuts short at most the
   * write in flight, which is the last one. Damage with intact records after it is refused.
   */
  private int torn(ByteBuffer buf, int pos, String why) {
    int size = buf.limit();
    for (int at = pos + 1; at + OutboxRecord.HEADER < size; at++) {
      int length = buf.getInt(at);
      if (length <= 0
          || length > OutboxRecord.MAX_BODY
          || (long) at + OutboxRecord.HEADER + length > size) {
        continue;
      }
      if (OutboxRecord.crc(buf.slice(at + OutboxRecord.HEADER, length)) == buf.getInt(at + 4)) {
        throw corrupt(pos, why + ", and an intact record follows at byte " + at);
      }
    }
    validEnd = pos;
    return -1;
  }

  private OutboxException corrupt(long offset, String why) {
    return new OutboxException(
        Reason.CORRUPT,
        "outbox file "
            + file
            + " is damaged at byte "
            + offset
            + ": "
            + why
            + ". Stop the agent, move the file aside for inspection and start again; the hub"
            + " re-learns the current state from the agent's resync.");
  }
}
