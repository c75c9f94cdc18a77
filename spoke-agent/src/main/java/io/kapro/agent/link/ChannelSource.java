package io.kapro.agent.link;

import io.grpc.ManagedChannel;

/**
 * Opens a fresh channel to the hub for each connection attempt, so renewed credentials are used by
 * the next stream without a restart. With TLS: {@code () -> tlsChannels.mutual(credentials
 * .current())}.
 */
@FunctionalInterface
public interface ChannelSource {
  ManagedChannel open();
}
