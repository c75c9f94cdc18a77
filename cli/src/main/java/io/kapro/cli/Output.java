package io.kapro.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Output formats ({@code -o}) and a kubectl-style table printer. */
public final class Output {
  /** {@code -o} values. */
  public enum Format {
    table,
    wide,
    json,
    yaml
  }

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private Output() {}

  /** Pretty JSON of any record or Kubernetes object. */
  public static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** YAML of any record or Kubernetes object. */
  public static String yaml(Object value) {
    return YAML.asYaml(JSON.convertValue(value, Object.class));
  }

  /** Prints {@code value} as JSON or YAML. */
  public static void structured(PrintWriter out, Format format, Object value) {
    out.println(format == Format.yaml ? yaml(value).stripTrailing() : json(value));
    out.flush();
  }

  /**
   * Prints rows under a header, columns separated by three spaces (kubectl's layout); empty and
   * null cells print as {@code -} so that every column stays readable.
   */
  public static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    for (List<String> r : rows) {
      all.add(r.stream().map(c -> c == null || c.isEmpty() ? "-" : c).toList());
    }
    int[] width = new int[header.size()];
    for (List<String> r : all) {
      for (int i = 0; i < r.size(); i++) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    for (List<String> r : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        String cell = r.get(i);
        line.append(cell);
        if (i < r.size() - 1) {
          line.append(" ".repeat(width[i] - cell.length() + 3));
        }
      }
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }
}
