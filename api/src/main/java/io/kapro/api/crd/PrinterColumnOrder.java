package io.kapro.api.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kapro.api.v1alpha2.KaproApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Build step run after fabric8's CRD generator: puts the printer columns of each generated CRD in
 * the order the {@link AdditionalPrinterColumn} annotations are declared (the generator sorts them
 * by JSONPath, which would put Age first). Run by the api module's build at {@code
 * process-classes}; the argument is the generator's output directory.
 */
public final class PrinterColumnOrder {
  private static final String BLOCK = "  - additionalPrinterColumns:";
  private static final String ENTRY = "    - ";

  private PrinterColumnOrder() {}

  /**
   * Rewrites every Kapro CRD in the directory.
   *
   * @param args one argument: the directory holding {@code <plural>.kapro.io-v1.yml}
   */
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    for (Class<? extends HasMetadata> kind : KaproApi.KINDS) {
      Path file = dir.resolve(HasMetadata.getPlural(kind) + "." + KaproApi.GROUP + "-v1.yml");
      List<String> order =
          Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
              .map(AdditionalPrinterColumn::name)
              .toList();
      try {
        Files.write(file, reorder(Files.readAllLines(file), order));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot reorder printer columns of " + file, e);
      }
    }
  }

  /**
   * Returns the lines with the printer-column entries sorted by their position in {@code order}.
   */
  static List<String> reorder(List<String> lines, List<String> order) {
    int start = lines.indexOf(BLOCK);
    if (start < 0) {
      return lines;
    }
    int end = start + 1;
    List<List<String>> entries = new ArrayList<>();
    while (end < lines.size()
        && lines.get(end).startsWith("    ")
        && !lines.get(end).startsWith("    name:")) {
      if (lines.get(end).startsWith(ENTRY)) {
        entries.add(new ArrayList<>());
      }
      entries.get(entries.size() - 1).add(lines.get(end));
      end++;
    }
    entries.sort((a, b) -> Integer.compare(rank(a, order), rank(b, order)));
    List<String> out = new ArrayList<>(lines.subList(0, start + 1));
    entries.forEach(out::addAll);
    out.addAll(lines.subList(end, lines.size()));
    return out;
  }

  private static int rank(List<String> entry, List<String> order) {
    for (String line : entry) {
      String t = line.trim().replaceFirst("^- ", "");
      if (t.startsWith("name: ")) {
        int i = order.indexOf(t.substring(6).replace("\"", ""));
        return i < 0 ? Integer.MAX_VALUE : i;
      }
    }
    return Integer.MAX_VALUE;
  }
}
