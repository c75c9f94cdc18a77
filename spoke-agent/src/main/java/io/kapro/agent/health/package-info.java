/** Health, readiness and Prometheus metrics endpoints of the agent. */
package io.kapro.agent.health;
