package io.kapro.agent.config;

import java.util.regex.Pattern;

/**
 * A glob over Kubernetes names: {@code *} matches any run of characters, {@code ?} one character;
 * everything else is literal.
 *
 * @param glob the pattern as written
 */
public record NamePattern(String glob) {
  private static final Pattern VALID = Pattern.compile("[a-z0-9.\\-*?]{1,253}");

  /** Matches every name. */
  public static final NamePattern ANY = new NamePattern("*");

  public NamePattern {
    if (glob == null || !VALID.matcher(glob).matches()) {
      throw new IllegalArgumentException(
          "'"
              + glob
              + "' is not a name pattern; use lower-case letters, digits, '-', '.', '*' and '?'");
    }
  }

  /** Whether {@code name} matches the glob. */
  public boolean matches(String name) {
    return name != null && matches(name, 0, 0);
  }

  private boolean matches(String name, int n, int g) {
    while (g < glob.length()) {
      char c = glob.charAt(g);
      if (c == '*') {
        for (int k = n; k <= name.length(); k++) {
          if (matches(name, k, g + 1)) {
            return true;
          }
        }
        return false;
      }
      if (n >= name.length() || (c != '?' && c != name.charAt(n))) {
        return false;
      }
      n++;
      g++;
    }
    return n == name.length();
  }

  @Override
  public String toString() {
    return glob;
  }
}
