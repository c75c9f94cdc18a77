/**
 * The durable evidence outbox ({@link io.kapro.agent.evidence.FileOutbox}) and evidence records.
 */
package io.kapro.agent.evidence;
