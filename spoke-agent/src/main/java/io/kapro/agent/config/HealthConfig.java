package io.kapro.agent.config;

/**
 * Where the health and metrics endpoints listen.
 *
 * @param address bind address, {@code 127.0.0.1} unless configured
 * @param port TCP port, 0 for any free port
 */
public record HealthConfig(String address, int port) {}
