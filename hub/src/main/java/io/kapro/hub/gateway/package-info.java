/**
 * The agent gateway: {@code kapro.agent.v1.AgentGateway} on Netty, TLS 1.3 only. The client
 * certificate is requested at the TLS layer and required per method (all but Enroll); the cluster
 * identity comes from its URI SAN only. Evidence is coalesced per cluster, written through an
 * {@link io.kapro.hub.gateway.EvidenceSink} and acked after the write; nudges go out through {@link
 * io.kapro.hub.gateway.BundleNotifier}. The hub implements {@link
 * io.kapro.hub.gateway.ClusterDirectory} and {@link io.kapro.hub.gateway.EvidenceSink} on its CRDs
 * and wires everything with {@link io.kapro.hub.gateway.Gateway#builder()}.
 */
package io.kapro.hub.gateway;
