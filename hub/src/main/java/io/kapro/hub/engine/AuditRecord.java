package io.kapro.hub.engine;

import java.time.Instant;

/** One line of the run's audit trail (the adapter keeps the last 50). */
public record AuditRecord(Instant time, String event, String message) {}
