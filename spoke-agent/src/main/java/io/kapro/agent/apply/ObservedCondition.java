package io.kapro.agent.apply;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A condition copied from a local object's status (for Argo CD the synthesized {@code Sync} and
 * {@code Health}).
 *
 * @param type condition type
 * @param status {@code True}/{@code False}/{@code Unknown}, or the Argo CD status string
 * @param reason the controller's reason
 * @param message the controller's message, at most 1 KiB
 * @param lastTransitionTime RFC 3339 as reported, or empty
 */
public record ObservedCondition(
    String type, String status, String reason, String message, String lastTransitionTime) {
  /** Longest message kept. */
  public static final int MAX_MESSAGE = 1024;

  public ObservedCondition {
    message = message == null ? "" : truncate(message);
    reason = reason == null ? "" : reason;
    lastTransitionTime = lastTransitionTime == null ? "" : lastTransitionTime;
  }

  /** Reads a Kubernetes condition object. */
  public static ObservedCondition of(JsonNode c) {
    return new ObservedCondition(
        c.path("type").asText(""),
        c.path("status").asText(""),
        c.path("reason").asText(""),
        c.path("message").asText(""),
        c.path("lastTransitionTime").asText(""));
  }

  /** Cuts {@code s} to {@link #MAX_MESSAGE} characters. */
  public static String truncate(String s) {
    return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE - 1) + "…";
  }
}
