package io.kapro.hub.gateway;

import io.grpc.Status;

/** Where the coalescer reports back to: the stream that delivered the evidence. */
interface AckTarget {
  /** Evidence up to and including {@code upTo} is durable. */
  void ack(long upTo);

  /** The evidence could not be stored; end the stream so the agent resends. */
  void close(Status status);
}
