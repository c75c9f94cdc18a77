/** The agent's SLF4J backend: a few classes instead of logback (issue 22). */
package io.kapro.agent.logging;
