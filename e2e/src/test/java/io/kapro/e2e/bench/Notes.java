package io.kapro.e2e.bench;

/**
 * The hand-written part of the issue-11 section: why targets are missed, what was changed and its
 * before/after. Kept next to the generator so every run of {@code scripts/bench} writes it again.
 */
final class Notes {
  private Notes() {}

  static final String TEXT =
      """
      ### Findings

      (to be written)

      """;
}
