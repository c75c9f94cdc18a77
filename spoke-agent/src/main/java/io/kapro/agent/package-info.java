/** Kapro module spoke-agent. */
package io.kapro.agent;
