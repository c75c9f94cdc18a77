/**
 * The agent's configuration: a YAML file plus {@code KAPRO_AGENT_*} environment overrides, checked
 * completely by {@link io.kapro.agent.config.AgentConfigLoader} so that every problem is reported
 * at once.
 */
package io.kapro.agent.config;
