/**
 * The agent's side of the link: {@link io.kapro.agent.link.HubClient} keeps one Connect stream to
 * the hub, replays the outbox, resyncs the full state on every connect, forwards nudges and
 * reconnects with exponential backoff and full jitter (1 s to 60 s).
 */
package io.kapro.agent.link;
