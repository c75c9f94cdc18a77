package io.kapro.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Disconnected mode: the agent writes its evidence as signed artifacts to its cluster's evidence
 * repository ({@code <bundle repository>/evidence}) in the store it reads bundles from (its local
 * registry or layout), from where {@code kapro mirror} carries them to the hub.
 *
 * @param interval how often pending evidence is written (default 30 s)
 * @param credentialsFile PEM with a private key and the certificate chain the hub CA issued for
 *     this cluster, to sign with instead of the enrollment credentials
 */
public record EvidenceSinkConfig(Duration interval, Optional<Path> credentialsFile) {
  /** Default write interval. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
}
