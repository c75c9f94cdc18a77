package io.kapro.agent.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the hub's gateway listens.
 *
 * @param host host name or IP address
 * @param port TCP port
 * @param caFile PEM CA bundle to trust for the gateway before enrollment, if given
 */
public record HubConfig(String host, int port, Optional<Path> caFile) {
  /** {@code host:port}. */
  public String address() {
    return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
  }
}
