package io.kapro.hub.ca;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored bootstrap token: only its SHA-256 hash, the cluster it is bound to, when it expires and
 * when it was used ({@code null} while unused).
 */
public record TokenRecord(String sha256, ClusterId cluster, Instant expiresAt, Instant usedAt) {
  public TokenRecord {
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  public boolean used() {
    return usedAt != null;
  }
}
