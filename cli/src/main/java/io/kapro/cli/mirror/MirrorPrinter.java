package io.kapro.cli.mirror;

import io.kapro.cli.Output;
import io.kapro.oci.mirror.MirrorReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints a {@link MirrorReport}: a table and the summary, or JSON/YAML; refusals to stderr. */
final class MirrorPrinter {
  private MirrorPrinter() {}

  static void print(PrintWriter out, PrintWriter err, Output.Format format, MirrorReport r) {
    if (format == Output.Format.json || format == Output.Format.yaml) {
      @SuppressWarnings("unchecked")
      java.util.Map<String, Object> m =
          new java.util.LinkedHashMap<>(
              new com.fasterxml.jackson.databind.ObjectMapper()
                  .convertValue(r, java.util.LinkedHashMap.class));
      m.put("complete", r.complete());
      m.put("summary", r.summary());
      Output.structured(out, format, m);
    } else {
      List<List<String>> rows = new ArrayList<>();
      for (MirrorReport.RepositoryResult x : r.repositories()) {
        rows.add(
            List.of(
                x.repository(),
                x.kind().name().toLowerCase(java.util.Locale.ROOT),
                Integer.toString(x.copied()),
                Integer.toString(x.present()),
                Integer.toString(x.refused()),
                x.movingTag() == null ? "" : x.movingTag()));
      }
      if (!rows.isEmpty()) {
        Output.table(
            out, List.of("REPOSITORY", "KIND", "COPIED", "PRESENT", "REFUSED", "TAG"), rows);
      }
      for (String note : r.notes()) {
        out.println("note: " + note);
      }
      out.println(r.summary());
      out.flush();
    }
    for (MirrorReport.Refusal x : r.refused()) {
      err.println("refused: " + x.message());
    }
    for (String m : r.missing()) {
      err.println("missing: " + m + " is not at " + r.from());
    }
    if (!r.complete()) {
      err.println(
          "hint: "
              + (r.refused().isEmpty()
                  ? "check the --cluster names and --prefix"
                  : "refused artifacts were not carried; on push re-export them on the connected"
                      + " side, on pull check --key and who writes to the source"));
    }
    err.flush();
  }
}
