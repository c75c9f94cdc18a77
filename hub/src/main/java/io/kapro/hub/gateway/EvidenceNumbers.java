package io.kapro.hub.gateway;

import io.kapro.agent.v1.AgentMessage;

/** The evidence number of an evidence or rejection message. */
final class EvidenceNumbers {
  private EvidenceNumbers() {}

  static long number(AgentMessage m) {
    return switch (m.getBodyCase()) {
      case EVIDENCE -> m.getEvidence().getNumber();
      case REJECTION -> m.getRejection().getNumber();
      default -> throw new IllegalArgumentException("not evidence: " + m.getBodyCase());
    };
  }
}
