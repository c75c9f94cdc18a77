package io.kapro.agent.evidence;

import static io.kapro.agent.evidence.OutboxItems.evidence;
import static io.kapro.agent.evidence.OutboxItems.number;
import static io.kapro.agent.evidence.OutboxItems.rejection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.agent.evidence.OutboxException.Reason;
import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.Heartbeat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileOutboxTest {
  @TempDir Path dir;

  @Test
  void appendNumbersAndAckDrops() {
    try (FileOutbox box = FileOutbox.open(dir)) {
      AgentMessage a = box.append(evidence(1));
      AgentMessage b = box.append(rejection(2));
      box.append(evidence(3));
      assertThat(number(a)).isEqualTo(1);
      assertThat(b.getRejection().getNumber()).isEqualTo(2);
      assertThat(box.pending()).extracting(OutboxItems::number).containsExactly(1L, 2L, 3L);
      box.ack(2);
      assertThat(box.pending()).extracting(OutboxItems::number).containsExactly(3L);
      assertThat(box.depth()).isEqualTo(1);
      box.ack(1);
      assertThat(box.depth()).isEqualTo(1);
      assertThat(box.lastNumber()).isEqualTo(3);
    }
    try (FileOutbox box = FileOutbox.open(dir)) {
      assertThat(box.pending())
          .singleElement()
          .satisfies(
              m -> {
                assertThat(number(m)).isEqualTo(3);
                assertThat(m)
                    .isEqualTo(
                        evidence(3).toBuilder()
                            .setEvidence(evidence(3).getEvidence().toBuilder().setNumber(3))
                            .build());
              });
      assertThat(number(box.append(evidence(4)))).isEqualTo(4);
    }
  }

  @Test
  void afterLostStateNumberingContinuesAboveTheHubsAndPendingItemsAreRenumbered() {
    try (FileOutbox box = FileOutbox.open(dir)) {
      box.append(evidence(1));
      box.append(rejection(2));
      assertThat(box.continueAbove(2)).isFalse(); // the hub holds nothing we have not numbered
      assertThat(box.continueAbove(57)).isTrue();
      assertThat(box.pending()).extracting(OutboxItems::number).containsExactly(58L, 59L);
      assertThat(box.pending().get(1).getRejection().getReason())
          .isEqualTo(rejection(2).getRejection().getReason());
      assertThat(box.lastNumber()).isEqualTo(59);
      assertThat(number(box.append(evidence(3)))).isEqualTo(60);
      box.ack(58);
    }
    try (FileOutbox box = FileOutbox.open(dir)) {
      assertThat(box.pending()).extracting(OutboxItems::number).containsExactly(59L, 60L);
      assertThat(box.lastNumber()).isEqualTo(60);
      assertThat(box.continueAbove(10)).isFalse();
    }
  }

  @Test
  void numbersKeepRisingAfterEverythingIsAckedAndCompacted() {
    try (FileOutbox box = FileOutbox.open(dir, 0)) {
      for (int i = 1; i <= 5; i++) {
        box.append(evidence(i));
      }
      box.ack(5);
      assertThat(box.fileSize()).isLessThan(100);
    }
    try (FileOutbox box = FileOutbox.open(dir, 0)) {
      assertThat(box.depth()).isZero();
      assertThat(box.lastNumber()).isEqualTo(5);
      assertThat(number(box.append(evidence(6)))).isEqualTo(6);
    }
  }

  @Test
  void ackBeyondTheLastNumberIsClampedSoLaterItemsSurvive() {
    try (FileOutbox box = FileOutbox.open(dir)) {
      box.append(evidence(1));
      box.ack(99);
      assertThat(box.depth()).isZero();
      box.append(evidence(2));
    }
    try (FileOutbox box = FileOutbox.open(dir)) {
      assertThat(box.pending()).extracting(OutboxItems::number).containsExactly(2L);
    }
  }

  @Test
  void refusesOtherBodiesClosedUseAndASecondOpen() {
    FileOutbox box = FileOutbox.open(dir);
    AgentMessage heartbeat =
        AgentMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build();
    assertThatThrownBy(() -> box.append(heartbeat)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FileOutbox.open(dir))
        .isInstanceOfSatisfying(
            OutboxException.class, e -> assertThat(e.reason()).isEqualTo(Reason.LOCKED));
    box.close();
    assertThatThrownBy(() -> box.append(evidence(1)))
        .isInstanceOfSatisfying(
            OutboxException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CLOSED));
    FileOutbox.open(dir).close();
  }

  @Test
  void tornLastAppendAtEveryByteOffsetLosesOnlyThatItem() throws IOException {
    Path src = dir.resolve("src");
    long before;
    try (FileOutbox box = FileOutbox.open(src)) {
      box.append(evidence(1));
      box.append(rejection(2));
      before = box.fileSize();
      box.append(evidence(3));
    }
    byte[] full = Files.readAllBytes(src.resolve(FileOutbox.FILE_NAME));
    for (int cut = (int) before; cut < full.length; cut++) {
      Path d = dir.resolve("cut" + cut);
      Files.createDirectories(d);
      Files.write(d.resolve(FileOutbox.FILE_NAME), Arrays.copyOf(full, cut));
      try (FileOutbox box = FileOutbox.open(d)) {
        assertThat(box.pending())
            .as("cut at %d", cut)
            .extracting(OutboxItems::number)
            .containsExactly(1L, 2L);
        assertThat(number(box.append(evidence(9)))).isEqualTo(3);
      }
      try (FileOutbox box = FileOutbox.open(d)) {
        assertThat(box.pending())
            .as("reopened after cut at %d", cut)
            .extracting(OutboxItems::number)
            .containsExactly(1L, 2L, 3L);
      }
    }
  }

  @Test
  void tornAckAtEveryByteOffsetKeepsTheItemsPending() throws IOException {
    Path src = dir.resolve("src");
    long before;
    try (FileOutbox box = FileOutbox.open(src)) {
      box.append(evidence(1));
      box.append(evidence(2));
      before = box.fileSize();
      box.ack(2);
    }
    byte[] full = Files.readAllBytes(src.resolve(FileOutbox.FILE_NAME));
    for (int cut = (int) before; cut <= full.length; cut++) {
      Path d = dir.resolve("cut" + cut);
      Files.createDirectories(d);
      Files.write(d.resolve(FileOutbox.FILE_NAME), Arrays.copyOf(full, cut));
      try (FileOutbox box = FileOutbox.open(d)) {
        assertThat(box.depth()).as("cut at %d", cut).isEqualTo(cut == full.length ? 0 : 2);
        assertThat(box.lastNumber()).isEqualTo(2);
      }
    }
  }

  @Test
  void tornHeaderAndZeroFilledTailAreRecovered() throws IOException {
    Files.write(dir.resolve(FileOutbox.FILE_NAME), new byte[] {'K', 'A', 'P'});
    try (FileOutbox box = FileOutbox.open(dir)) {
      box.append(evidence(1));
    }
    Files.write(
        dir.resolve(FileOutbox.FILE_NAME), new byte[4096], java.nio.file.StandardOpenOption.APPEND);
    try (FileOutbox box = FileOutbox.open(dir)) {
      assertThat(box.pending()).extracting(OutboxItems::number).containsExactly(1L);
      box.append(evidence(2));
    }
    try (FileOutbox box = FileOutbox.open(dir)) {
      assertThat(box.pending()).extracting(OutboxItems::number).containsExactly(1L, 2L);
    }
  }

  @Test
  void garbageAndForeignFilesAreRefused() throws IOException {
    byte[] garbage = new byte[2000];
    new Random(42).nextBytes(garbage);
    for (byte[] content : new byte[][] {garbage, "hello world, not an outbox".getBytes(), {'X'}}) {
      Files.write(dir.resolve(FileOutbox.FILE_NAME), content);
      assertThatThrownBy(() -> FileOutbox.open(dir))
          .isInstanceOfSatisfying(
              OutboxException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
                assertThat(e.getMessage())
                    .contains("outbox header")
                    .contains("move the file aside");
              });
    }
    byte[] randomBody = new byte[2000];
    new Random(7).nextBytes(randomBody);
    ByteBuffer withMagic =
        ByteBuffer.allocate(8 + randomBody.length).put(OutboxRecord.MAGIC).put(randomBody);
    Files.write(dir.resolve(FileOutbox.FILE_NAME), withMagic.array());
    // Random bytes after a valid header hold no intact record: recovered as a torn tail.
    try (FileOutbox box = FileOutbox.open(dir)) {
      assertThat(box.depth()).isZero();
    }
  }

  @Test
  void wrongChecksumInTheMiddleIsRefusedNotSkipped() throws IOException {
    long second;
    try (FileOutbox box = FileOutbox.open(dir)) {
      box.append(evidence(1));
      second = box.fileSize();
      box.append(evidence(2));
      box.append(evidence(3));
    }
    Path file = dir.resolve(FileOutbox.FILE_NAME);
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) second + 20] ^= 0x01;
    Files.write(file, bytes);
    assertThatThrownBy(() -> FileOutbox.open(dir))
        .isInstanceOfSatisfying(
            OutboxException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
              assertThat(e.getMessage()).contains("byte " + second).contains("checksum mismatch");
            });
  }

  @Test
  void validChecksumButNonsenseIsRefused() throws IOException {
    Path file = dir.resolve(FileOutbox.FILE_NAME);
    ByteBuffer out = ByteBuffer.allocate(1000).put(OutboxRecord.MAGIC);
    out.put(new OutboxRecord.Append(5, evidence(5)).encode());
    out.put(new OutboxRecord.Append(4, evidence(4)).encode());
    Files.write(file, Arrays.copyOf(out.array(), out.position()));
    assertThatThrownBy(() -> FileOutbox.open(dir)).hasMessageContaining("is not above 5");

    ByteBuffer body = ByteBuffer.allocate(9).put((byte) 7).putLong(1).flip();
    ByteBuffer rec = ByteBuffer.allocate(17).putInt(9).putInt(OutboxRecord.crc(body)).put(body);
    Files.write(file, ByteBuffer.allocate(25).put(OutboxRecord.MAGIC).put(rec.array()).array());
    assertThatThrownBy(() -> FileOutbox.open(dir)).hasMessageContaining("unknown record type 7");

    ByteBuffer ack =
        ByteBuffer.allocate(100).put(OutboxRecord.MAGIC).put(new OutboxRecord.Ack(3).encode());
    Files.write(file, Arrays.copyOf(ack.array(), ack.position()));
    assertThatThrownBy(() -> FileOutbox.open(dir)).hasMessageContaining("above the last number");
  }

  @Test
  void compactionWithCumulativeAcksStaysSmallAndKeepsPendingItems() {
    long bound = 2048;
    try (FileOutbox box = FileOutbox.open(dir, bound)) {
      for (long i = 1; i <= 1_500; i++) {
        box.append(evidence(i));
        if (i % 7 == 0) {
          box.ack(i - 3);
        }
        assertThat(box.fileSize()).isLessThanOrEqualTo(2 * bound);
      }
      assertThat(box.pending())
          .extracting(OutboxItems::number)
          .containsExactlyElementsOf(LongStream.rangeClosed(1_496, 1_500).boxed().toList());
    }
    try (FileOutbox box = FileOutbox.open(dir, bound)) {
      assertThat(box.pending())
          .extracting(OutboxItems::number)
          .containsExactlyElementsOf(LongStream.rangeClosed(1_496, 1_500).boxed().toList());
      assertThat(box.lastNumber()).isEqualTo(1_500);
    }
    assertThat(dir.resolve(FileOutbox.COMPACT_NAME)).doesNotExist();
  }
}
