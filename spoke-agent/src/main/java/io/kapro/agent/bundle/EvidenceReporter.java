package io.kapro.agent.bundle;

import io.kapro.agent.v1.AgentMessage;

/**
 * Where the pull loop sends evidence and rejections: {@code hubClient::report}, which writes them
 * to the durable outbox before sending.
 */
@FunctionalInterface
public interface EvidenceReporter {
  void report(AgentMessage unnumbered);
}
