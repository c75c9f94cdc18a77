package io.kapro.hub.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The CloudEvents 1.0 attributes and JSON data of one outbound event, as stored in the outbox and
 * sent (binary mode: attributes as {@code ce-*} headers, data as the body).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent(
    String id, String type, String source, String subject, String time, Map<String, Object> data) {

  static CloudEvent of(KaproEvent e) {
    return new CloudEvent(
        e.id(), e.type().type(), e.source(), e.subject(), e.time().toString(), e.data());
  }
}
