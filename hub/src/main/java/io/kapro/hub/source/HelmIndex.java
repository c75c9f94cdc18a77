package io.kapro.hub.source;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.FailsafeSchema;

/**
 * One chart's entries in a Helm chart repository's {@code index.yaml} (the file {@code helm repo
 * index} writes: {@code apiVersion}, {@code entries: {<chart>: [{version, digest, urls, created,
 * ...}]}}). The index comes from a server Kapro does not control, so it is read under bounds: the
 * caller has capped its bytes, the YAML loader keeps every scalar a string (failsafe schema: no
 * implicit types, no tags resolved to classes), refuses duplicate and recursive keys and more than
 * {@value #MAX_ALIASES} aliases (an alias bomb), and the index may hold at most {@value
 * #MAX_ENTRIES} entries in all. What Helm itself refuses (no {@code apiVersion}) is refused; an
 * entry without a version is skipped, as Helm skips it; a chart the index does not list is refused
 * ({@code ChartNotFound}). Pure.
 */
public final class HelmIndex {
  /** Largest index read, in bytes (checked before it is read: the HTTP body limit). */
  public static final int MAX_BYTES = 16 * 1024 * 1024;

  /** Aliases the loader accepts; Helm never writes one. */
  static final int MAX_ALIASES = 20;

  /** Entries (chart versions, all charts together) one index may hold. */
  public static final int MAX_ENTRIES = 200_000;

  /** A chart version as the index lists it. */
  public record Entry(String version, String digest, List<String> urls, String created) {}

  private HelmIndex() {}

  /**
   * The entries of {@code chart}, in index order (duplicates of a version after the first dropped).
   *
   * @throws SourceException reason {@code MalformedIndex} naming what is wrong, {@code TooManyTags}
   *     past {@code maxVersions} versions of the chart or {@value #MAX_ENTRIES} entries in all
   */
  public static List<Entry> entries(byte[] yaml, String chart, int maxVersions, String where) {
    if (yaml.length > MAX_BYTES) {
      throw malformed(where, "is larger than " + MAX_BYTES + " bytes");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(yaml))
              .toString();
    } catch (CharacterCodingException e) {
      throw malformed(where, "is not UTF-8");
    }
    LoadSettings settings =
        LoadSettings.builder()
            .setSchema(new FailsafeSchema())
            // an empty value (a bare "-" or "key:") is null; everything else stays a string
            .setTagConstructors(Map.of(Tag.NULL, node -> null))
            .setMaxAliasesForCollections(MAX_ALIASES)
            .setAllowRecursiveKeys(false)
            .setAllowDuplicateKeys(false)
            .setAllowNonScalarKeys(false)
            .setCodePointLimit(MAX_BYTES)
            .setUseMarks(true)
            .build();
    Object root;
    try {
      root = new Load(settings).loadFromString(text);
    } catch (YamlEngineException e) {
      throw malformed(where, "is not valid YAML: " + firstLine(e.getMessage()));
    } catch (RuntimeException e) {
      // the engine's own guards (code points, aliases) may throw plain runtime exceptions
      throw malformed(where, "cannot be read: " + firstLine(e.getMessage()));
    } catch (StackOverflowError e) {
      // the composer recurses per nesting level; the stack unwinds to here
      throw malformed(where, "nests collections too deeply");
    }
    if (!(root instanceof Map<?, ?> index)) {
      throw malformed(where, "is not a YAML mapping (expected apiVersion and entries)");
    }
    Object apiVersion = index.get("apiVersion");
    if (!(apiVersion instanceof String v) || v.isBlank()) {
      throw malformed(where, "has no apiVersion (Helm refuses such an index too)");
    }
    Object entries = index.get("entries");
    if (entries == null || (entries instanceof String blank && isNull(blank))) {
      throw notFound(where, chart);
    }
    if (!(entries instanceof Map<?, ?> charts)) {
      throw malformed(where, "field entries is not a mapping of chart names to lists");
    }
    long total = 0;
    for (Object versions : charts.values()) {
      if (versions instanceof List<?> l) {
        total += l.size();
      }
      if (total > MAX_ENTRIES) {
        throw new SourceException(
            "TooManyTags",
            where + " holds more than " + MAX_ENTRIES + " entries; refused, not truncated");
      }
    }
    Object listed = charts.get(chart);
    if (listed == null) {
      throw notFound(where, chart);
    }
    if (!(listed instanceof List<?> list)) {
      throw malformed(where, "field entries." + chart + " is not a list");
    }
    if (list.size() > maxVersions) {
      throw new SourceException(
          "TooManyTags",
          where
              + " lists more than "
              + maxVersions
              + " versions of chart "
              + chart
              + " (spec.maxTags); refused, not truncated: raise spec.maxTags");
    }
    List<Entry> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      if (item == null || (item instanceof String blank && isNull(blank))) {
        continue; // Helm skips empty entries
      }
      if (!(item instanceof Map<?, ?> e)) {
        throw malformed(where, "field entries." + chart + "[" + i + "] is not a mapping");
      }
      if (!(e.get("version") instanceof String version) || version.isBlank()) {
        continue; // Helm skips entries without a version
      }
      if (!seen.add(version)) {
        continue;
      }
      String digest = e.get("digest") instanceof String d ? d.strip() : null;
      if (digest != null) {
        // helm repo index writes the archive's sha256 in hex; Helm's own fixtures write short
        // "sha256:<hex>" values, which Helm reads too: any hex up to 64 digits is kept
        if (!digest.matches("(sha256:)?[A-Fa-f0-9]{1,64}")) {
          throw malformed(
              where,
              "field entries." + chart + "[" + i + "].digest is not a sha256 hex digest: " + d(e));
        }
        digest = digest.startsWith("sha256:") ? digest : "sha256:" + digest;
      }
      List<String> urls = new ArrayList<>();
      if (e.get("urls") instanceof List<?> u) {
        for (Object url : u) {
          if (url instanceof String s && !s.isBlank()) {
            urls.add(s);
          }
        }
      }
      String created = e.get("created") instanceof String c ? rfc3339(c) : null;
      out.add(new Entry(version, digest, List.copyOf(urls), created));
    }
    return out;
  }

  /** An empty node under the failsafe schema (every scalar a string). */
  private static boolean isNull(String s) {
    return s.isEmpty() || s.equals("~") || s.equals("null");
  }

  private static String d(Map<?, ?> e) {
    String s = String.valueOf(e.get("digest"));
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  private static String rfc3339(String text) {
    try {
      return OffsetDateTime.parse(text.strip()).toInstant().toString();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static SourceException notFound(String where, String chart) {
    return new SourceException(
        "ChartNotFound", where + " lists no chart " + chart + "; check spec.helm.chart");
  }

  private static SourceException malformed(String where, String what) {
    return new SourceException(
        "MalformedIndex",
        (where + " " + what + "; fix the repository's index.yaml (helm repo index writes it)")
            .replaceAll("[\\r\\n\\t]+", " "));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    // the engine's first lines say what and where (line, column); the rest is a source excerpt
    String[] lines = s.strip().split("\n");
    StringBuilder b = new StringBuilder(lines[0].strip());
    for (int i = 1; i < Math.min(lines.length, 4); i++) {
      if (lines[i].contains("line ")) {
        b.append(", ").append(lines[i].strip());
      }
    }
    String line = b.toString();
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
