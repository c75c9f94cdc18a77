package io.kapro.hub.run;

/** A cluster's Connected condition: True, Unknown (missed heartbeats), False. */
public enum Connectivity {
  Connected,
  Unknown,
  Disconnected
}
