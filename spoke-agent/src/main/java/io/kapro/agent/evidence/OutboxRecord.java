package io.kapro.agent.evidence;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kapro.agent.v1.AgentMessage;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The outbox file's records. Every record is {@code int length | int crc32c | body}, where the body
 * is one type byte and its payload and the CRC covers the body.
 */
sealed interface OutboxRecord {
  /** The file's first bytes. */
  byte[] MAGIC = {'K', 'A', 'P', 'R', 'O', 'O', 'B', '1'};

  /** Length and CRC in front of every body. */
  int HEADER = 8;

  /** Largest body accepted. */
  int MAX_BODY = 4 * 1024 * 1024;

  /** An item, with its number. */
  record Append(long number, AgentMessage message) implements OutboxRecord {}

  /** Items up to and including {@code upTo} are acked. */
  record Ack(long upTo) implements OutboxRecord {}

  /** Written first by compaction: what the dropped records had established. */
  record Base(long lastNumber, long ackedUpTo) implements OutboxRecord {}

  /** The record framed for the file. */
  default ByteBuffer encode() {
    byte[] payload =
        switch (this) {
          case Append a -> a.message.toByteArray();
          case Ack a -> new byte[0];
          case Base b -> new byte[0];
        };
    int bodyLength = 1 + 8 + (this instanceof Base ? 8 : 0) + payload.length;
    if (bodyLength > MAX_BODY) {
      throw new OutboxException(
          OutboxException.Reason.TOO_LARGE,
          "outbox item of " + bodyLength + " bytes exceeds the limit of " + MAX_BODY);
    }
    ByteBuffer body = ByteBuffer.allocate(bodyLength);
    switch (this) {
      case Append a -> body.put((byte) 1).putLong(a.number).put(payload);
      case Ack a -> body.put((byte) 2).putLong(a.upTo);
      case Base b -> body.put((byte) 3).putLong(b.lastNumber).putLong(b.ackedUpTo);
    }
    body.flip();
    CRC32C crc = new CRC32C();
    crc.update(body.duplicate());
    ByteBuffer out = ByteBuffer.allocate(HEADER + bodyLength);
    out.putInt(bodyLength).putInt((int) crc.getValue()).put(body).flip();
    return out;
  }

  /** CRC32C of {@code body}, as stored. */
  static int crc(ByteBuffer body) {
    CRC32C crc = new CRC32C();
    crc.update(body.duplicate());
    return (int) crc.getValue();
  }

  /**
   * Decodes a body whose CRC matched.
   *
   * @throws IllegalArgumentException when the body does not make sense
   */
  static OutboxRecord decode(ByteBuffer body) {
    if (body.remaining() < 9) {
      throw new IllegalArgumentException(
          "record body of " + body.remaining() + " bytes is too short");
    }
    byte type = body.get();
    long first = body.getLong();
    return switch (type) {
      case 1 -> new Append(first, parse(body));
      case 2 -> exact(body, new Ack(first));
      case 3 -> {
        if (body.remaining() != 8) {
          throw new IllegalArgumentException("base record has the wrong length");
        }
        yield new Base(first, body.getLong());
      }
      default -> throw new IllegalArgumentException("unknown record type " + type);
    };
  }

  private static OutboxRecord exact(ByteBuffer body, OutboxRecord r) {
    if (body.hasRemaining()) {
      throw new IllegalArgumentException("record has " + body.remaining() + " trailing bytes");
    }
    return r;
  }

  private static AgentMessage parse(ByteBuffer body) {
    try {
      return AgentMessage.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("item is not an AgentMessage: " + e.getMessage());
    }
  }
}
