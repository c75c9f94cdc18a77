package io.kapro.hub.source;

import io.kapro.api.v1alpha2.SourceSpec;
import io.kapro.api.v1alpha2.TagFilter;
import io.kapro.api.v1alpha2.TagOrder;
import io.kapro.api.v1alpha2.TagSelection;
import io.kapro.oci.version.SemverRange;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which tags of a repository are versions of a unit, newest first, following Flux's image policies
 * (image-reflector-controller {@code internal/policy}): {@code filterTags.pattern} keeps the tags
 * it finds a match in, {@code filterTags.extract} (capture groups) gives the value that is ordered;
 * SemVer orders by semantic version inside the constraint and ignores the rest, Alphabetical by the
 * string, Numerical by the number (ignoring tags that are not numbers); order Asc takes the highest
 * as the newest, Desc the lowest. Pure.
 */
public final class TagPolicy {
  private final Pattern pattern;
  private final String extract;
  private final TagSelection selection;
  private final SemverRange range;
  private final boolean descending;

  /** For versions without an order of their own (a branch's commits): rank 0 is the newest. */
  private final java.util.Map<String, Integer> rank;

  private TagPolicy(
      Pattern pattern,
      String extract,
      TagSelection selection,
      SemverRange range,
      boolean descending) {
    this(pattern, extract, selection, range, descending, null);
  }

  private TagPolicy(
      Pattern pattern,
      String extract,
      TagSelection selection,
      SemverRange range,
      boolean descending,
      java.util.Map<String, Integer> rank) {
    this.pattern = pattern;
    this.extract = extract;
    this.selection = selection;
    this.range = range;
    this.descending = descending;
    this.rank = rank;
  }

  /**
   * Versions ordered by when they were found (a branch's commits: the head seen last is the
   * newest), {@code newestFirst} as recorded; a version not in the list is older than all of them
   * (it left the bounded history, or was never seen here).
   */
  public static TagPolicy inOrder(List<String> newestFirst) {
    java.util.Map<String, Integer> rank = new java.util.HashMap<>();
    for (int i = 0; i < newestFirst.size(); i++) {
      rank.putIfAbsent(newestFirst.get(i), i);
    }
    return new TagPolicy(null, null, TagSelection.Alphabetical, null, false, rank);
  }

  /** From a Source spec; an invalid field is refused naming it. */
  public static TagPolicy of(SourceSpec spec) {
    TagFilter f = spec.getFilterTags();
    Pattern pattern = null;
    String extract = null;
    if (f != null && f.getPattern() != null && !f.getPattern().isEmpty()) {
      try {
        pattern = Pattern.compile(f.getPattern());
      } catch (PatternSyntaxException e) {
        throw new SourceException(
            "spec.filterTags.pattern is not a regular expression: " + e.getDescription());
      }
      extract = f.getExtract() == null || f.getExtract().isEmpty() ? null : f.getExtract();
    } else if (f != null && f.getExtract() != null && !f.getExtract().isEmpty()) {
      throw new SourceException("spec.filterTags.extract needs spec.filterTags.pattern");
    }
    TagSelection selection =
        spec.getSelection() == null ? TagSelection.SemVer : spec.getSelection();
    SemverRange range = null;
    if (spec.getSemver() != null && !spec.getSemver().isBlank()) {
      if (selection != TagSelection.SemVer) {
        throw new SourceException("spec.semver is only read with selection SemVer");
      }
      range =
          SemverRange.parse(spec.getSemver())
              .orElseThrow(
                  () ->
                      new SourceException(
                          "spec.semver '"
                              + spec.getSemver()
                              + "' is not a SemVer constraint (examples: >=1.0.0 <2.0.0, ~1.2,"
                              + " ^1, 1.x)"));
    }
    return new TagPolicy(pattern, extract, selection, range, spec.getOrder() == TagOrder.Desc);
  }

  /** A tag kept by the policy, and the value it is ordered by. */
  public record Candidate(String tag, String value) {}

  /** The tags that are versions, newest first (equal values keep the later tag first). */
  public List<Candidate> select(List<String> tags) {
    List<Candidate> out = new ArrayList<>();
    for (String tag : tags) {
      value(tag).ifPresent(v -> out.add(new Candidate(tag, v)));
    }
    Comparator<Candidate> byValue = (a, b) -> compareValues(a.value(), b.value());
    out.sort(byValue.thenComparing(Candidate::tag).reversed());
    return out;
  }

  /** The value of {@code tag} this policy orders, or empty when the tag is not a version here. */
  public Optional<String> value(String tag) {
    Optional<String> key = key(tag);
    if (key.isPresent() && selection == TagSelection.SemVer) {
      String v = key.get();
      boolean inside =
          range != null
              ? range.contains(v)
              : SemverRange.Version.parse(v).orElseThrow().pre().isEmpty();
      return inside ? key : Optional.empty();
    }
    return key;
  }

  /**
   * Whether tag {@code a} is newer than tag {@code b} by this policy's ordering (filter and
   * extraction applied, the constraint not: a proven version outside it still counts); empty when
   * either is not orderable here.
   */
  public Optional<Boolean> newerTag(String a, String b) {
    Optional<String> ka = key(a);
    Optional<String> kb = key(b);
    return ka.isEmpty() || kb.isEmpty()
        ? Optional.empty()
        : Optional.of(compareValues(ka.get(), kb.get()) > 0);
  }

  /** The tag's orderable value: filtered, extracted and parseable, the constraint not applied. */
  private Optional<String> key(String tag) {
    String v = tag;
    if (pattern != null) {
      Matcher m = pattern.matcher(tag);
      if (!m.find()) {
        return Optional.empty();
      }
      if (extract != null) {
        try {
          StringBuilder b = new StringBuilder();
          m.appendReplacement(b, extract.replaceAll("\\$([A-Za-z][A-Za-z0-9]*)", "\\${$1}"));
          v = b.substring(m.start());
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
          throw new SourceException(
              "spec.filterTags.extract '" + extract + "' names a group the pattern lacks");
        }
      }
    }
    boolean ok =
        switch (selection) {
          case SemVer -> strictSemver(v) && SemverRange.Version.parse(v).isPresent();
          case Alphabetical -> true;
          case Numerical -> number(v).isPresent();
        };
    return ok ? Optional.of(v) : Optional.empty();
  }

  /** Whether version value {@code a} is newer than {@code b} under this policy. */
  public boolean newer(String a, String b) {
    return compareValues(a, b) > 0;
  }

  /** Orders values by newness (positive: {@code a} is newer). */
  public int compareValues(String a, String b) {
    if (rank != null) {
      return Integer.compare(
          rank.getOrDefault(b, Integer.MAX_VALUE), rank.getOrDefault(a, Integer.MAX_VALUE));
    }
    int c =
        switch (selection) {
          case SemVer ->
              SemverRange.Version.parse(a)
                  .orElseThrow()
                  .compareTo(SemverRange.Version.parse(b).orElseThrow());
          case Alphabetical -> a.compareTo(b);
          case Numerical -> number(a).orElseThrow().compareTo(number(b).orElseThrow());
        };
    return selection != TagSelection.SemVer && descending ? -c : c;
  }

  /** A version Masterminds' NewVersion accepts: 1, 1.2 or 1.2.3, an optional v and suffixes. */
  private static boolean strictSemver(String v) {
    return v.matches("v?\\d+(\\.\\d+){0,2}([-+].*)?");
  }

  private static Optional<BigDecimal> number(String v) {
    if (!v.matches("[-+]?\\d+(\\.\\d+)?")) {
      return Optional.empty();
    }
    return Optional.of(new BigDecimal(v));
  }
}
