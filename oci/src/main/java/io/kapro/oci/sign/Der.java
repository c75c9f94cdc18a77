package io.kapro.oci.sign;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The little DER (X.690) that {@link Pem} and {@link Csrs} need on the JDK alone: writing the
 * PKCS#10 request and the PKCS#8 wrapper of a SEC1 key, and reading those and SubjectPublicKeyInfo
 * far enough to pick the key algorithm. Only single-byte tags and definite lengths of at most four
 * bytes are read; anything else is refused, and every length is checked against what is left.
 */
final class Der {
  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OCTET_STRING = 0x04;
  static final int NULL = 0x05;
  static final int OID = 0x06;
  static final int UTF8_STRING = 0x0c;
  static final int SEQUENCE = 0x30;
  static final int SET = 0x31;

  private Der() {}

  /** A malformed or unexpected encoding; the caller names the source. */
  static final class DerException extends Exception {
    DerException(String message) {
      super(message);
    }
  }

  /** One element: its tag and the bounds of its contents in {@code buf}. */
  record Tlv(int tag, byte[] buf, int start, int length) {
    byte[] contents() {
      return Arrays.copyOfRange(buf, start, start + length);
    }

    /** The element's children (for a constructed element: SEQUENCE, SET, [n] constructed). */
    List<Tlv> children() throws DerException {
      if ((tag & 0x20) == 0) {
        throw new DerException("element with tag 0x" + Integer.toHexString(tag) + " is primitive");
      }
      List<Tlv> out = new ArrayList<>();
      int pos = start;
      int end = start + length;
      while (pos < end) {
        Tlv t = read(buf, pos, end);
        out.add(t);
        pos = t.start + t.length;
      }
      return out;
    }

    Tlv expect(int expected) throws DerException {
      if (tag != expected) {
        throw new DerException(
            "expected tag 0x"
                + Integer.toHexString(expected)
                + ", found 0x"
                + Integer.toHexString(tag));
      }
      return this;
    }

    /** The whole element (tag, length and contents), as it was encoded. */
    byte[] encoded() throws DerException {
      int headerStart = start - headerLength(length);
      return Arrays.copyOfRange(buf, headerStart, start + length);
    }

    /** The value of an INTEGER (never empty: X.690 8.3.1). */
    BigInteger integer() throws DerException {
      expect(INTEGER);
      if (length == 0) {
        throw new DerException("empty INTEGER");
      }
      return new BigInteger(contents());
    }

    /** The dotted form of an OBJECT IDENTIFIER. */
    String oid() throws DerException {
      expect(OID);
      if (length == 0) {
        throw new DerException("empty OBJECT IDENTIFIER");
      }
      StringBuilder s = new StringBuilder();
      long value = 0;
      boolean first = true;
      for (int i = start; i < start + length; i++) {
        int b = buf[i] & 0xff;
        if (value == 0 && b == 0x80) {
          throw new DerException("OBJECT IDENTIFIER with a non-minimal arc");
        }
        if (value > (Long.MAX_VALUE >> 7)) {
          throw new DerException("OBJECT IDENTIFIER arc too large");
        }
        value = (value << 7) | (b & 0x7f);
        if ((b & 0x80) == 0) {
          if (first) {
            long top = Math.min(value / 40, 2);
            s.append(top).append('.').append(value - top * 40);
            first = false;
          } else {
            s.append('.').append(value);
          }
          value = 0;
        } else if (i == start + length - 1) {
          throw new DerException("truncated OBJECT IDENTIFIER");
        }
      }
      return s.toString();
    }

    /** The bits of a BIT STRING with no unused bits (keys and signatures). */
    byte[] bitStringBytes() throws DerException {
      expect(BIT_STRING);
      if (length == 0 || buf[start] != 0) {
        throw new DerException("BIT STRING with unused bits");
      }
      return Arrays.copyOfRange(buf, start + 1, start + length);
    }
  }

  /** The one element that fills {@code der} exactly. */
  static Tlv parse(byte[] der) throws DerException {
    Tlv t = read(der, 0, der.length);
    if (t.start + t.length != der.length) {
      throw new DerException((der.length - t.start - t.length) + " bytes after the DER element");
    }
    return t;
  }

  private static Tlv read(byte[] buf, int pos, int end) throws DerException {
    if (end - pos < 2) {
      throw new DerException("truncated DER element");
    }
    int tag = buf[pos] & 0xff;
    if ((tag & 0x1f) == 0x1f) {
      throw new DerException("multi-byte DER tags are not supported");
    }
    int first = buf[pos + 1] & 0xff;
    int p = pos + 2;
    long length;
    if (first < 0x80) {
      length = first;
    } else {
      int n = first & 0x7f;
      if (n == 0) {
        throw new DerException("indefinite length (BER) is not DER");
      }
      if (n > 4 || end - p < n) {
        throw new DerException("DER length of " + n + " bytes");
      }
      length = 0;
      for (int i = 0; i < n; i++) {
        length = (length << 8) | (buf[p++] & 0xff);
      }
      if (length < 0x80 || (n > 1 && (buf[pos + 2] & 0xff) == 0)) {
        throw new DerException("non-minimal DER length");
      }
    }
    if (length > end - p) {
      throw new DerException("DER length " + length + " exceeds the " + (end - p) + " bytes left");
    }
    return new Tlv(tag, buf, p, (int) length);
  }

  private static int headerLength(int length) {
    if (length < 0x80) {
      return 2;
    }
    int n = 0;
    for (int l = length; l > 0; l >>>= 8) {
      n++;
    }
    return 2 + n;
  }

  // --- writing ---

  static byte[] tlv(int tag, byte[] contents) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(contents.length + 6);
    out.write(tag);
    int len = contents.length;
    if (len < 0x80) {
      out.write(len);
    } else {
      int n = headerLength(len) - 2;
      out.write(0x80 | n);
      for (int i = n - 1; i >= 0; i--) {
        out.write(len >>> (8 * i));
      }
    }
    out.writeBytes(contents);
    return out.toByteArray();
  }

  static byte[] sequence(byte[]... elements) {
    return tlv(SEQUENCE, concat(elements));
  }

  static byte[] set(byte[]... elements) {
    return tlv(SET, concat(elements));
  }

  /** {@code [n]} constructed, holding {@code elements} (IMPLICIT SET OF or EXPLICIT tagging). */
  static byte[] contextConstructed(int n, byte[]... elements) {
    return tlv(0xa0 | n, concat(elements));
  }

  static byte[] integer(BigInteger value) {
    return tlv(INTEGER, value.toByteArray());
  }

  static byte[] octetString(byte[] value) {
    return tlv(OCTET_STRING, value);
  }

  static byte[] bitString(byte[] value) {
    byte[] c = new byte[value.length + 1];
    System.arraycopy(value, 0, c, 1, value.length);
    return tlv(BIT_STRING, c);
  }

  static byte[] utf8String(String value) {
    return tlv(UTF8_STRING, value.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] nullValue() {
    return new byte[] {NULL, 0};
  }

  /** An OBJECT IDENTIFIER from its dotted form. */
  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    if (arcs.length < 2) {
      throw new IllegalArgumentException("OID needs two arcs: " + dotted);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      base128(out, Long.parseLong(arcs[i]));
    }
    return tlv(OID, out.toByteArray());
  }

  private static void base128(ByteArrayOutputStream out, long value) {
    int groups = 1;
    for (long v = value >>> 7; v > 0; v >>>= 7) {
      groups++;
    }
    for (int i = groups - 1; i >= 0; i--) {
      int b = (int) ((value >>> (7 * i)) & 0x7f);
      out.write(i == 0 ? b : b | 0x80);
    }
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
