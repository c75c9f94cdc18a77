package io.kapro.hub.gateway;

import io.kapro.hub.link.LinkException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent versions this hub speaks to: {@code >= min < maxExclusive}, semantic versions
 * (pre-release and build suffixes are ignored for the comparison).
 */
public record VersionRange(String min, String maxExclusive) {
  private static final Pattern SEMVER =
      Pattern.compile("v?(\\d{1,6})\\.(\\d{1,6})\\.(\\d{1,6})([-+][0-9A-Za-z.+-]{0,64})?");

  /** What this hub supports today. */
  public static final VersionRange DEFAULT = new VersionRange("0.1.0", "1.0.0");

  public VersionRange {
    if (compare(parse(min), parse(maxExclusive)) >= 0) {
      throw new IllegalArgumentException("min " + min + " must be below max " + maxExclusive);
    }
  }

  /** Refuses {@code version} with {@code UNSUPPORTED_VERSION} naming this range. */
  public void check(String version) {
    int[] v = parse(version);
    if (v == null) {
      throw new LinkException(
          LinkException.Reason.UNSUPPORTED_VERSION,
          "agent version '" + version + "' is not a semantic version; this hub supports " + this);
    }
    if (compare(v, parse(min)) < 0 || compare(v, parse(maxExclusive)) >= 0) {
      throw new LinkException(
          LinkException.Reason.UNSUPPORTED_VERSION,
          "agent version " + version + " is not supported; this hub supports " + this);
    }
  }

  @Override
  public String toString() {
    return ">=" + min + " <" + maxExclusive;
  }

  private static int[] parse(String version) {
    if (version == null) {
      return null;
    }
    Matcher m = SEMVER.matcher(version);
    if (!m.matches()) {
      return null;
    }
    return new int[] {
      Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))
    };
  }

  private static int compare(int[] a, int[] b) {
    if (a == null || b == null) {
      throw new IllegalArgumentException("not a semantic version");
    }
    for (int i = 0; i < 3; i++) {
      int c = Integer.compare(a[i], b[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
