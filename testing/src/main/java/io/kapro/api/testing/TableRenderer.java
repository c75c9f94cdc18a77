package io.kapro.api.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns stored custom resources into a {@code meta.k8s.io/v1 Table} the way kube-apiserver does for
 * CRDs: a Name column, then the version's additionalPrinterColumns (or Age when there are none);
 * each cell is the first result of the column's JSONPath; date cells become ages.
 */
public final class TableRenderer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Clock clock;

  /**
   * @param clock the clock ages are computed against
   */
  public TableRenderer(Clock clock) {
    this.clock = clock;
  }

  /** The columns of a CRD version, defaulting to Age as kube-apiserver does. */
  public static List<CustomResourceColumnDefinition> columnsOrDefault(
      List<CustomResourceColumnDefinition> columns) {
    if (columns != null && !columns.isEmpty()) {
      return columns;
    }
    CustomResourceColumnDefinition age = new CustomResourceColumnDefinition();
    age.setName("Age");
    age.setType("date");
    age.setJsonPath(".metadata.creationTimestamp");
    return List.of(age);
  }

  /**
   * Renders the table.
   *
   * @param columns printer columns (see {@link #columnsOrDefault})
   * @param objects the stored objects, as JSON
   * @param resourceVersion list resource version, may be null
   * @param includeObject {@code None}, {@code Object} or (default) {@code Metadata}
   */
  public ObjectNode render(
      List<CustomResourceColumnDefinition> columns,
      List<JsonNode> objects,
      String resourceVersion,
      String includeObject) {
    ObjectNode table = JSON.createObjectNode();
    table.put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    ObjectNode meta = table.putObject("metadata");
    if (resourceVersion != null) {
      meta.put("resourceVersion", resourceVersion);
    }
    ArrayNode defs = table.putArray("columnDefinitions");
    defs.addObject()
        .put("name", "Name")
        .put("type", "string")
        .put("format", "name")
        .put("description", "Name must be unique within a namespace.")
        .put("priority", 0);
    for (CustomResourceColumnDefinition c : columns) {
      defs.addObject()
          .put("name", c.getName())
          .put("type", c.getType())
          .put("format", c.getFormat() == null ? "" : c.getFormat())
          .put("description", c.getDescription() == null ? "" : c.getDescription())
          .put("priority", c.getPriority() == null ? 0 : c.getPriority());
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode o : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      cells.add(o.path("metadata").path("name").asText());
      for (CustomResourceColumnDefinition c : columns) {
        cells.add(cell(c, o));
      }
      if ("Object".equals(includeObject)) {
        row.set("object", o);
      } else if (!"None".equals(includeObject)) {
        row.putObject("object")
            .put("kind", "PartialObjectMetadata")
            .put("apiVersion", "meta.k8s.io/v1")
            .set("metadata", o.path("metadata"));
      }
    }
    return table;
  }

  /** The cell value of one column for one object (null when the path selects nothing). */
  public JsonNode cell(CustomResourceColumnDefinition column, JsonNode object) {
    JsonNode v = JsonPathLite.first(object, column.getJsonPath());
    if (v == null || v.isNull()) {
      return JSON.nullNode();
    }
    return switch (column.getType()) {
      case "integer" ->
          v.canConvertToLong() ? JSON.getNodeFactory().numberNode(v.asLong()) : JSON.nullNode();
      case "number" -> v.isNumber() ? v : JSON.nullNode();
      case "boolean" -> v.isBoolean() ? v : JSON.nullNode();
      case "date" -> JSON.getNodeFactory().textNode(age(v.asText()));
      default -> JSON.getNodeFactory().textNode(v.isValueNode() ? v.asText() : v.toString());
    };
  }

  private String age(String timestamp) {
    try {
      return HumanDuration.format(Duration.between(Instant.parse(timestamp), clock.instant()));
    } catch (DateTimeParseException e) {
      return timestamp;
    }
  }

  /** Convenience for tests: every cell of a row as text ({@code <none>} for null). */
  public List<String> textRow(List<CustomResourceColumnDefinition> columns, JsonNode object) {
    List<String> out = new ArrayList<>();
    for (CustomResourceColumnDefinition c : columns) {
      JsonNode v = cell(c, object);
      out.add(v.isNull() ? "<none>" : v.asText());
    }
    return out;
  }
}
