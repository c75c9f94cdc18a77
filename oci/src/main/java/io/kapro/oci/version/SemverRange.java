package io.kapro.oci.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SemVer constraint the way Flux reads {@code spec.ref.semver} and a HelmRelease chart version
 * range: the Masterminds/semver v3 grammar ({@code ||} between alternatives, {@code ,} or spaces
 * between conditions that must all hold, operators {@code = != > < >= <= ~ ^}, wildcards {@code x X
 * *}, partial versions and {@code A - B} ranges). A version with a pre-release only satisfies a
 * condition that names a pre-release itself, as Masterminds decides it. Used to check that the
 * revision a source or release resolved lies inside the range the bundle set.
 */
public final class SemverRange {
  private static final Pattern VERSION =
      Pattern.compile(
          "v?(0|[1-9][0-9]*)(?:\\.(0|[1-9][0-9]*))?(?:\\.(0|[1-9][0-9]*))?"
              + "(?:-([0-9A-Za-z.-]+))?(?:\\+([0-9A-Za-z.-]+))?");
  private static final Pattern PART = Pattern.compile("[xX*]|0|[1-9][0-9]*");
  private static final Pattern CONDITION =
      Pattern.compile(
          "(!=|>=|=>|<=|=<|~>|>|<|=|~|\\^)?v?([0-9xX*]+(?:\\.[0-9xX*]+){0,2})"
              + "(?:-([0-9A-Za-z.-]+))?(?:\\+[0-9A-Za-z.-]+)?");
  private static final Pattern HYPHEN = Pattern.compile("(\\S+)\\s+-\\s+(\\S+)");
  private static final Pattern OP_SPACE = Pattern.compile("(!=|>=|=>|<=|=<|~>|>|<|=|~|\\^)\\s+");

  private final String text;
  private final List<List<Condition>> alternatives;

  private SemverRange(String text, List<List<Condition>> alternatives) {
    this.text = text;
    this.alternatives = alternatives;
  }

  /** Parses a constraint; empty when it is not one Masterminds would accept. */
  public static Optional<SemverRange> parse(String constraint) {
    List<List<Condition>> alternatives = new ArrayList<>();
    for (String alternative : constraint.split("\\|\\|", -1)) {
      String s = HYPHEN.matcher(alternative.trim()).replaceAll(">= $1, <= $2");
      s = OP_SPACE.matcher(s).replaceAll("$1");
      List<Condition> all = new ArrayList<>();
      for (String token : s.split("[,\\s]+")) {
        if (token.isEmpty()) {
          continue;
        }
        Optional<Condition> c = Condition.parse(token);
        if (c.isEmpty()) {
          return Optional.empty();
        }
        all.add(c.get());
      }
      if (all.isEmpty()) {
        all.add(Condition.parse("*").orElseThrow());
      }
      alternatives.add(all);
    }
    return Optional.of(new SemverRange(constraint, alternatives));
  }

  /** Whether {@code constraint} is a range rather than one exact version. */
  public static boolean isRange(String constraint) {
    Matcher m = VERSION.matcher(constraint.trim());
    return !(m.matches() && m.group(3) != null);
  }

  /** Whether {@code version} (a tag like {@code v1.2.3} or {@code 6.5.1}) lies in the range. */
  public boolean contains(String version) {
    Optional<Version> v = Version.parse(version);
    if (v.isEmpty()) {
      return false;
    }
    for (List<Condition> all : alternatives) {
      if (all.stream().allMatch(c -> c.test(v.get()))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return text;
  }

  /** A parsed version: major.minor.patch and the pre-release, build metadata dropped. */
  public record Version(long major, long minor, long patch, String pre)
      implements Comparable<Version> {
    public static Optional<Version> parse(String s) {
      Matcher m = VERSION.matcher(s.trim());
      if (!m.matches()) {
        return Optional.empty();
      }
      return Optional.of(
          new Version(
              Long.parseLong(m.group(1)),
              m.group(2) == null ? 0 : Long.parseLong(m.group(2)),
              m.group(3) == null ? 0 : Long.parseLong(m.group(3)),
              m.group(4) == null ? "" : m.group(4)));
    }

    @Override
    public int compareTo(Version o) {
      int c = Long.compare(major, o.major);
      if (c == 0) {
        c = Long.compare(minor, o.minor);
      }
      if (c == 0) {
        c = Long.compare(patch, o.patch);
      }
      return c != 0 ? c : comparePre(pre, o.pre);
    }

    /** SemVer 2.0 §11: no pre-release ranks higher; numeric identifiers rank below others. */
    static int comparePre(String a, String b) {
      if (a.equals(b)) {
        return 0;
      }
      if (a.isEmpty() || b.isEmpty()) {
        return a.isEmpty() ? 1 : -1;
      }
      String[] x = a.split("\\.");
      String[] y = b.split("\\.");
      for (int i = 0; i < Math.min(x.length, y.length); i++) {
        boolean xn = x[i].matches("[0-9]+");
        boolean yn = y[i].matches("[0-9]+");
        int c;
        if (xn && yn) {
          c = new java.math.BigInteger(x[i]).compareTo(new java.math.BigInteger(y[i]));
        } else if (xn != yn) {
          c = xn ? -1 : 1;
        } else {
          c = x[i].compareTo(y[i]);
        }
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(x.length, y.length);
    }
  }

  /** One operator and its (possibly partial or wildcard) version. */
  private record Condition(String op, Version con, boolean majorX, boolean minorX, boolean patchX) {
    static Optional<Condition> parse(String token) {
      Matcher m = CONDITION.matcher(token);
      if (!m.matches()) {
        return Optional.empty();
      }
      String[] parts = m.group(2).split("\\.");
      for (String p : parts) {
        if (!PART.matcher(p).matches()) {
          return Optional.empty();
        }
      }
      boolean majorX = isX(parts[0]);
      boolean minorX = majorX || parts.length < 2 || isX(parts[1]);
      boolean patchX = minorX || parts.length < 3 || isX(parts[2]);
      Version con =
          new Version(
              majorX ? 0 : Long.parseLong(parts[0]),
              minorX ? 0 : Long.parseLong(parts[1]),
              patchX ? 0 : Long.parseLong(parts[2]),
              m.group(3) == null ? "" : m.group(3));
      String op = m.group(1) == null ? "" : m.group(1);
      op =
          switch (op) {
            case "=>" -> ">=";
            case "=<" -> "<=";
            case "~>" -> "~";
            default -> op;
          };
      return Optional.of(new Condition(op, con, majorX, minorX, patchX));
    }

    private static boolean isX(String part) {
      return part.equals("x") || part.equals("X") || part.equals("*");
    }

    boolean dirty() {
      return patchX;
    }

    boolean test(Version v) {
      if (!v.pre().isEmpty() && con.pre().isEmpty()) {
        return false; // a pre-release only matches a condition that asks for pre-releases
      }
      return switch (op) {
        case "", "=" -> dirty() ? tilde(v) : v.compareTo(con) == 0;
        case "~" -> tilde(v);
        case "^" -> caret(v);
        case ">" -> greater(v);
        case ">=" -> v.compareTo(con) >= 0;
        case "<" -> v.compareTo(con) < 0;
        case "<=" -> lessOrEqual(v);
        case "!=" -> notEqual(v);
        default -> false;
      };
    }

    private boolean tilde(Version v) {
      if (v.compareTo(con) < 0) {
        return false;
      }
      if (majorX || (con.major() == 0 && con.minor() == 0 && con.patch() == 0 && !patchX)) {
        return true; // ~0.0.0 and * accept every version at or above them
      }
      return v.major() == con.major() && (minorX || v.minor() == con.minor());
    }

    private boolean caret(Version v) {
      if (v.compareTo(con) < 0) {
        return false;
      }
      if (majorX) {
        return true;
      }
      if (con.major() > 0 || minorX) {
        return v.major() == con.major();
      }
      if (con.minor() > 0 || patchX) {
        return v.major() == 0 && v.minor() == con.minor();
      }
      return v.major() == 0 && v.minor() == 0 && v.patch() == con.patch();
    }

    private boolean greater(Version v) {
      if (!dirty()) {
        return v.compareTo(con) > 0;
      }
      if (v.major() != con.major()) {
        return v.major() > con.major();
      }
      return !minorX && v.minor() > con.minor();
    }

    private boolean lessOrEqual(Version v) {
      if (!dirty()) {
        return v.compareTo(con) <= 0;
      }
      if (v.major() != con.major()) {
        return v.major() < con.major();
      }
      return minorX || v.minor() <= con.minor();
    }

    private boolean notEqual(Version v) {
      if (!dirty()) {
        return v.compareTo(con) != 0;
      }
      if (v.major() != con.major()) {
        return true;
      }
      if (minorX) {
        return false;
      }
      if (v.minor() != con.minor()) {
        return true;
      }
      return Version.comparePre(v.pre(), con.pre()) != 0;
    }
  }
}
