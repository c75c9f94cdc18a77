package io.kapro.hub.engine;

/** A cluster's Connected condition: True, Unknown (missed heartbeats), False. */
public enum Reachability {
  Connected,
  Unknown,
  Disconnected
}
