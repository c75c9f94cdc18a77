package io.kapro.e2e.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** A minimal streaming ustar/GNU/PAX tar reader, enough for image tars and their layers. */
final class TarReader {
  private TarReader() {}

  /** Called per entry; {@code data} yields exactly the entry's bytes (may be left unread). */
  interface Visitor {
    void visit(String name, int mode, char type, InputStream data) throws IOException;
  }

  static void walk(InputStream in, Visitor v) throws IOException {
    byte[] header = new byte[512];
    String longName = null;
    while (in.readNBytes(header, 0, 512) == 512 && !isZero(header)) {
      String name = text(header, 0, 100);
      String prefix = text(header, 345, 155);
      int mode = (int) octal(header, 100, 8);
      long size = octal(header, 124, 12);
      char type = (char) header[156];
      long padded = (size + 511) / 512 * 512;
      if (type == 'L' || type == 'x') {
        byte[] data = in.readNBytes((int) size);
        in.skipNBytes(padded - size);
        longName =
            type == 'L'
                ? new String(data, StandardCharsets.UTF_8).replace("\0", "")
                : paxPath(data, longName);
        continue;
      }
      String full = longName != null ? longName : prefix.isEmpty() ? name : prefix + "/" + name;
      longName = null;
      Bounded data = new Bounded(in, size);
      v.visit(full, mode, type, data);
      in.skipNBytes(data.remaining + (padded - size));
    }
  }

  private static String paxPath(byte[] data, String fallback) {
    for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
      int sp = line.indexOf(' ');
      if (sp > 0 && line.startsWith("path=", sp + 1)) {
        return line.substring(sp + 6);
      }
    }
    return fallback;
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static String text(byte[] b, int pos, int len) {
    int end = pos;
    while (end < pos + len && b[end] != 0) {
      end++;
    }
    return new String(b, pos, end - pos, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] b, int pos, int len) {
    String s = text(b, pos, len).trim();
    return s.isEmpty() ? 0 : Long.parseLong(s, 8);
  }

  /** The entry's bytes; closing it does not close the tar. */
  private static final class Bounded extends InputStream {
    private final InputStream in;
    long remaining;

    Bounded(InputStream in, long size) {
      this.in = in;
      this.remaining = size;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(buf, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public void close() {}
  }
}
