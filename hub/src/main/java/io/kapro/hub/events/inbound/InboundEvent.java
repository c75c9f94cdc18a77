package io.kapro.hub.events.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kapro.hub.events.inbound.InboundException.Reason;
import java.util.Locale;
import java.util.function.Function;

/**
 * An inbound CloudEvent, parsed from HTTP binary mode ({@code ce-*} headers, data as body) or
 * structured mode ({@code application/cloudevents+json}). Parsing checks the envelope only; the
 * data is checked by the trigger after authentication.
 */
public record InboundEvent(String id, String source, String type, JsonNode data) {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int MAX_ATTRIBUTE = 256;

  /** Parses a request; {@code header} looks a header up case-insensitively. */
  public static InboundEvent parse(Function<String, String> header, byte[] body) {
    String contentType = header.apply("content-type");
    String media =
        contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (media.equals("application/cloudevents+json")) {
      JsonNode root = json(body, "body");
      if (!root.isObject()) {
        throw new InboundException(
            Reason.MALFORMED, "body: a structured CloudEvent must be a JSON object");
      }
      spec(text(root, "specversion"), "specversion");
      return new InboundEvent(
          attribute(text(root, "id"), "id"),
          attribute(text(root, "source"), "source"),
          attribute(text(root, "type"), "type"),
          root.get("data"));
    }
    if (header.apply("ce-specversion") == null && header.apply("ce-id") == null) {
      throw new InboundException(
          Reason.UNSUPPORTED_MEDIA_TYPE,
          "send a CloudEvent: binary mode (ce-specversion, ce-id, ce-source, ce-type headers and a"
              + " JSON body) or structured mode (content-type application/cloudevents+json)");
    }
    spec(header.apply("ce-specversion"), "ce-specversion");
    if (!media.equals("application/json") && !media.isEmpty()) {
      throw new InboundException(
          Reason.UNSUPPORTED_MEDIA_TYPE,
          "content-type: the data must be application/json, not " + media);
    }
    return new InboundEvent(
        attribute(header.apply("ce-id"), "ce-id"),
        attribute(header.apply("ce-source"), "ce-source"),
        attribute(header.apply("ce-type"), "ce-type"),
        body.length == 0 ? null : json(body, "body"));
  }

  private static JsonNode json(byte[] body, String field) {
    try {
      JsonNode n = JSON.readTree(body);
      if (n == null) {
        throw new InboundException(Reason.MALFORMED, field + ": empty, expected JSON");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new InboundException(
          Reason.MALFORMED,
          field
              + ": not valid JSON (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ")");
    } catch (java.io.IOException e) {
      throw new InboundException(Reason.MALFORMED, field + ": unreadable");
    }
  }

  private static String text(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n != null && !n.isTextual()) {
      throw new InboundException(Reason.MALFORMED, field + ": must be a string");
    }
    return n == null ? null : n.asText();
  }

  private static void spec(String v, String field) {
    if (v == null) {
      throw new InboundException(Reason.MALFORMED, field + ": missing; set it to 1.0");
    }
    if (!v.equals("1.0")) {
      throw new InboundException(
          Reason.MALFORMED, field + ": only CloudEvents 1.0 is accepted, not " + v);
    }
  }

  private static String attribute(String v, String field) {
    if (v == null || v.isBlank()) {
      throw new InboundException(Reason.MALFORMED, field + ": missing or empty");
    }
    if (v.length() > MAX_ATTRIBUTE || v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new InboundException(
          Reason.MALFORMED, field + ": at most " + MAX_ATTRIBUTE + " printable characters");
    }
    return v;
  }
}
