/**
 * The Kapro spoke agent. {@link io.kapro.agent.AgentMain} is the command ({@code --config}, {@code
 * --secret-namespace}, {@code --check-config}; exit code 2 for an invalid configuration); {@link
 * io.kapro.agent.Agent} wires credentials, the hub link, the pull loop and the health server.
 */
package io.kapro.agent;
