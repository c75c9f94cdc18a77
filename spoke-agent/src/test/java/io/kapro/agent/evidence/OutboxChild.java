package io.kapro.agent.evidence;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Runs a {@link FileOutbox} in its own JVM for the kill tests. Arguments: directory, mode.
 *
 * <ul>
 *   <li>{@code batch}: appends 20 items, acks up to 5, prints {@code ready}, then waits forever.
 *   <li>{@code stream}: appends forever, printing each number once its append returned.
 * </ul>
 */
public final class OutboxChild {
  private OutboxChild() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    FileOutbox box = FileOutbox.open(Path.of(args[0]));
    long start = box.lastNumber();
    if (args[1].equals("batch")) {
      for (int i = 1; i <= 20; i++) {
        box.append(i % 4 == 0 ? OutboxItems.rejection(i) : OutboxItems.evidence(i));
        System.out.println("appended " + box.lastNumber());
      }
      box.ack(start + 5);
      System.out.println("ready");
      System.out.flush();
      System.in.read();
      return;
    }
    for (long i = 1; ; i++) {
      long n = OutboxItems.number(box.append(OutboxItems.evidence(i)));
      System.out.println("appended " + n);
      System.out.flush();
    }
  }
}
