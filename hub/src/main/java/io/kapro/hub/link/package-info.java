/**
 * The agent link's one exception: {@link io.kapro.hub.link.LinkException} and its reasons, thrown
 * by the CA, enrollment and the gateway, and mapped to gRPC status codes in one place ({@code
 * io.kapro.hub.gateway.StatusMapping}). "Link" means the agent ↔ hub gRPC link only, in the hub as
 * in the agent ({@code io.kapro.agent.link}).
 */
package io.kapro.hub.link;
