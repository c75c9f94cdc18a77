/**
 * Outbound HTTP to endpoints a user names: {@link io.kapro.hub.webhook.WebhookGateClient} calls
 * webhook gates, {@link io.kapro.hub.webhook.DestinationGuard} refuses private and loopback
 * destinations (also for event sinks). The engine never calls out itself; it asks for a call.
 */
package io.kapro.hub.webhook;
