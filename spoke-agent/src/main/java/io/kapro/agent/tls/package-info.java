/**
 * The agent's credentials: enrollment with a bootstrap token (key and CSR made here, the key never
 * leaves the agent), storage in the state directory and/or a Secret, renewal at two thirds of the
 * lifetime, and TLS 1.3 channels built from the credentials of the moment.
 */
package io.kapro.agent.tls;
