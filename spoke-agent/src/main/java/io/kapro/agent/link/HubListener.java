package io.kapro.agent.link;

import io.grpc.Status;
import io.kapro.agent.v1.Settings;

/**
 * What the hub tells the agent. Called on gRPC threads: hand long work (a pull) to another thread.
 */
public interface HubListener {

  /** A new bundle was published: pull now (the nudge is a hint; verify from the source). */
  void onBundleAvailable(long sequence, String digest);

  /** The hub's settings (after every hello, and when they change). */
  default void onSettings(Settings settings) {}

  /** The hub accepted the hello of a new stream. */
  default void onConnected() {}

  /** The stream ended; the client reconnects with backoff. */
  default void onDisconnected(Status status) {}
}
