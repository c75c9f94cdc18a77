package io.kapro.oci.store;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Minimal tar (POSIX ustar) packing of a layout root, deterministic (sorted entries, zero times),
 * and a defensive unpacker (regular files and directories only, no absolute paths, no {@code ..},
 * bounded sizes). Reads ustar, GNU long names and pax path records.
 */
final class LayoutTar {
  static final long MAX_ENTRY = 256L * 1024 * 1024;
  static final long MAX_TOTAL = 4L * 1024 * 1024 * 1024;
  private static final int BLOCK = 512;

  private LayoutTar() {}

  static void pack(Path dir, Path tarFile) throws IOException {
    Path parent = tarFile.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = parent.resolve("." + tarFile.getFileName() + ".tmp-" + UUID.randomUUID());
    List<Path> files;
    try (var s = Files.walk(dir)) {
      files =
          s.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().startsWith(".tmp-"))
              .sorted(Comparator.comparing(p -> dir.relativize(p).toString()))
              .toList();
    }
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
      for (Path f : files) {
        String name = dir.relativize(f).toString().replace('\\', '/');
        long size = Files.size(f);
        out.write(header(name, size));
        try (InputStream in = Files.newInputStream(f)) {
          in.transferTo(out);
        }
        pad(out, size);
      }
      out.write(new byte[BLOCK * 2]);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    try {
      Files.move(tmp, tarFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, tarFile, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static void unpack(Path tarFile, Path dir) throws IOException {
    Path base = dir.toAbsolutePath().normalize();
    long total = 0;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(tarFile))) {
      String longName = null;
      byte[] h = new byte[BLOCK];
      while (true) {
        if (in.readNBytes(h, 0, BLOCK) < BLOCK) {
          throw new IOException(tarFile + ": truncated tar (header)");
        }
        if (isZero(h)) {
          return;
        }
        if (!verifyChecksum(h)) {
          throw new IOException(tarFile + ": bad tar header checksum; not a tar file or corrupted");
        }
        long size = octal(h, 124, 12);
        if (size < 0 || size > MAX_ENTRY) {
          throw new IOException(tarFile + ": entry larger than " + MAX_ENTRY + " bytes");
        }
        total += size;
        if (total > MAX_TOTAL) {
          throw new IOException(tarFile + ": more than " + MAX_TOTAL + " bytes in total");
        }
        char type = (char) h[156];
        String name = longName != null ? longName : name(h);
        longName = null;
        switch (type) {
          case 'L' -> longName = cString(readBody(in, size, tarFile));
          case 'x' -> longName = paxPath(readBody(in, size, tarFile));
          case 'g' -> readBody(in, size, tarFile);
          case '5' -> {
            Files.createDirectories(safe(base, name, tarFile));
            skip(in, padded(size), tarFile);
          }
          case '0', '\0' -> {
            Path target = safe(base, name, tarFile);
            Files.createDirectories(target.getParent());
            try (OutputStream out = Files.newOutputStream(target)) {
              copy(in, out, size, tarFile);
            }
            skip(in, padded(size) - size, tarFile);
          }
          default ->
              throw new IOException(
                  tarFile
                      + ": entry '"
                      + name
                      + "' has type '"
                      + type
                      + "'; only files and directories are allowed");
        }
      }
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // temporary directory; leaving it behind is harmless
    }
  }

  private static Path safe(Path base, String name, Path tarFile) throws IOException {
    if (name.isEmpty() || name.startsWith("/") || name.contains("\\")) {
      throw new IOException(tarFile + ": unsafe entry name '" + name + "'");
    }
    Path p = base.resolve(name).normalize();
    if (!p.startsWith(base) || List.of(name.split("/")).contains("..")) {
      throw new IOException(tarFile + ": entry '" + name + "' escapes the layout directory");
    }
    return p;
  }

  static byte[] header(String name, long size) throws IOException {
    byte[] h = new byte[BLOCK];
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    if (n.length <= 100) {
      System.arraycopy(n, 0, h, 0, n.length);
    } else {
      int cut = name.lastIndexOf('/', 155);
      byte[] prefix =
          cut > 0 ? name.substring(0, cut).getBytes(StandardCharsets.UTF_8) : new byte[0];
      byte[] rest = cut > 0 ? name.substring(cut + 1).getBytes(StandardCharsets.UTF_8) : n;
      if (cut <= 0 || prefix.length > 155 || rest.length > 100) {
        throw new IOException("path too long for ustar: " + name);
      }
      System.arraycopy(rest, 0, h, 0, rest.length);
      System.arraycopy(prefix, 0, h, 345, prefix.length);
    }
    writeOctal(h, 100, 8, 0644);
    writeOctal(h, 108, 8, 0);
    writeOctal(h, 116, 8, 0);
    writeOctal(h, 124, 12, size);
    writeOctal(h, 136, 12, 0);
    h[156] = '0';
    System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
    h[263] = '0';
    h[264] = '0';
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    writeOctal(h, 148, 7, checksum(h));
    h[155] = ' ';
    return h;
  }

  private static void writeOctal(byte[] h, int off, int len, long v) {
    String s = Long.toOctalString(v);
    s = "0".repeat(Math.max(0, len - 1 - s.length())) + s;
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, len - 1);
    h[off + len - 1] = 0;
  }

  private static long checksum(byte[] h) {
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
    }
    return sum;
  }

  private static boolean verifyChecksum(byte[] h) {
    try {
      return octal(h, 148, 8) == checksum(h);
    } catch (IOException e) {
      return false;
    }
  }

  private static long octal(byte[] h, int off, int len) throws IOException {
    String s = new String(h, off, len, StandardCharsets.US_ASCII).replace("\0", "").trim();
    if (s.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new IOException("bad octal field in tar header: '" + s + "'");
    }
  }

  private static String name(byte[] h) {
    String n = cString(java.util.Arrays.copyOfRange(h, 0, 100));
    String prefix = cString(java.util.Arrays.copyOfRange(h, 345, 500));
    boolean ustar = new String(h, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    return ustar && !prefix.isEmpty() ? prefix + "/" + n : n;
  }

  private static String cString(byte[] b) {
    int end = 0;
    while (end < b.length && b[end] != 0) {
      end++;
    }
    return new String(b, 0, end, StandardCharsets.UTF_8);
  }

  private static String paxPath(byte[] body) throws IOException {
    String s = new String(body, StandardCharsets.UTF_8);
    for (String line : s.split("\n")) {
      int sp = line.indexOf(' ');
      if (sp > 0 && line.startsWith("path=", sp + 1)) {
        return line.substring(sp + 1 + "path=".length());
      }
    }
    return null;
  }

  private static byte[] readBody(InputStream in, long size, Path tarFile) throws IOException {
    if (size > 1024 * 1024) {
      throw new IOException(tarFile + ": metadata entry too large");
    }
    byte[] b = in.readNBytes((int) size);
    if (b.length < size) {
      throw new IOException(tarFile + ": truncated tar");
    }
    skip(in, padded(size) - size, tarFile);
    return b;
  }

  private static void copy(InputStream in, OutputStream out, long size, Path tarFile)
      throws IOException {
    byte[] buf = new byte[64 * 1024];
    long left = size;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new IOException(tarFile + ": truncated tar (data)");
      }
      out.write(buf, 0, n);
      left -= n;
    }
  }

  private static void skip(InputStream in, long n, Path tarFile) throws IOException {
    try {
      in.skipNBytes(n);
    } catch (java.io.EOFException e) {
      throw new IOException(tarFile + ": truncated tar", e);
    }
  }

  private static long padded(long size) {
    return (size + BLOCK - 1) / BLOCK * BLOCK;
  }

  private static void pad(OutputStream out, long size) throws IOException {
    out.write(new byte[(int) (padded(size) - size)]);
  }

  private static boolean isZero(byte[] h) {
    for (byte b : h) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
