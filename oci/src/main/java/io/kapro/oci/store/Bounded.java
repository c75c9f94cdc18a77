package io.kapro.oci.store;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads streams with an upper bound, so hostile content cannot exhaust memory. */
final class Bounded {
  private Bounded() {}

  static byte[] read(InputStream in, long maxBytes, String what) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(maxBytes + 1, 64 * 1024));
    byte[] buf = new byte[16 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      total += n;
      if (total > maxBytes) {
        throw tooLarge(what, maxBytes);
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  static OciException tooLarge(String what, long maxBytes) {
    return new OciException(
        Reason.TOO_LARGE, what + " is larger than the limit of " + maxBytes + " bytes");
  }
}
