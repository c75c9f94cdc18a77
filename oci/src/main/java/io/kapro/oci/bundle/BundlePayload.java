package io.kapro.oci.bundle;

import io.kapro.oci.OciException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The desired state of one cluster: what the hub signs and the agent applies. Serialised as
 * canonical JSON by {@link BundleJson}; the same payload always gives the same bytes.
 *
 * @param schemaVersion payload schema; this code writes and reads {@link #SCHEMA_VERSION}
 * @param cluster the cluster's name (the Cluster object's name on the hub)
 * @param namespace the hub namespace the cluster lives in
 * @param fleet the fleet that issued the bundle
 * @param run the PromotionRun the bundle belongs to
 * @param sequence strictly increasing per cluster, starting at 1
 * @param issuedAt when the hub issued it (second precision)
 * @param expiresAt after this instant (plus the agent's clock-skew allowance) it must not be used
 * @param units desired state per unit, names unique
 * @param rollback true when this bundle returns units to earlier versions
 * @param minSequence the lowest sequence the cluster may still apply, as the hub knew it when it
 *     signed (the sequence the cluster last acknowledged); 0 when absent (bundles of older hubs).
 *     An agent never lowers its high-water mark below it, whatever its own state says.
 * @param drift what the agent does when a managed field no longer holds the bundle's value: {@value
 *     #DRIFT_REPORT} (the default, written by omission) or {@value #DRIFT_REAPPLY}
 * @param minEvidenceNumber the highest evidence number the hub held for the cluster when it signed
 *     ({@code status.lastEvidenceNumber}); 0 when absent. An agent numbers new evidence above it,
 *     so evidence written after its state was lost is not ignored as a replay (air-gapped agents
 *     learn it only this way).
 */
public record BundlePayload(
    int schemaVersion,
    String cluster,
    String namespace,
    String fleet,
    String run,
    long sequence,
    Instant issuedAt,
    Instant expiresAt,
    List<BundleUnit> units,
    boolean rollback,
    long minSequence,
    String drift,
    long minEvidenceNumber) {

  /** The payload schema this code understands. */
  public static final int SCHEMA_VERSION = 1;

  /**
   * The highest sequence a bundle may carry: 2^53 - 1, the largest integer canonical JSON (RFC
   * 8785, I-JSON) keeps exact. The one range for signing ({@link #validate()} via {@link
   * BundleJson#write}), verification ({@link BundleJson#read}, the verifier's annotation check) and
   * the agent's stored high-water mark.
   */
  public static final long MAX_SEQUENCE = (1L << 53) - 1;

  /** Drift policy: report drift as evidence, change nothing. */
  public static final String DRIFT_REPORT = "report";

  /** Drift policy: put the bundle's value back (rate-limited by the agent) and report it. */
  public static final String DRIFT_REAPPLY = "reapply";

  /** A payload without {@code minEvidenceNumber} (as older hubs wrote it). */
  public BundlePayload(
      int schemaVersion,
      String cluster,
      String namespace,
      String fleet,
      String run,
      long sequence,
      Instant issuedAt,
      Instant expiresAt,
      List<BundleUnit> units,
      boolean rollback,
      long minSequence,
      String drift) {
    this(
        schemaVersion,
        cluster,
        namespace,
        fleet,
        run,
        sequence,
        issuedAt,
        expiresAt,
        units,
        rollback,
        minSequence,
        drift,
        0);
  }

  /** A payload with the default drift policy ({@value #DRIFT_REPORT}). */
  public BundlePayload(
      int schemaVersion,
      String cluster,
      String namespace,
      String fleet,
      String run,
      long sequence,
      Instant issuedAt,
      Instant expiresAt,
      List<BundleUnit> units,
      boolean rollback,
      long minSequence) {
    this(
        schemaVersion,
        cluster,
        namespace,
        fleet,
        run,
        sequence,
        issuedAt,
        expiresAt,
        units,
        rollback,
        minSequence,
        DRIFT_REPORT);
  }

  /** A payload without {@code minSequence} (as older hubs wrote it). */
  public BundlePayload(
      int schemaVersion,
      String cluster,
      String namespace,
      String fleet,
      String run,
      long sequence,
      Instant issuedAt,
      Instant expiresAt,
      List<BundleUnit> units,
      boolean rollback) {
    this(
        schemaVersion,
        cluster,
        namespace,
        fleet,
        run,
        sequence,
        issuedAt,
        expiresAt,
        units,
        rollback,
        0);
  }

  public BundlePayload {
    drift = drift == null ? DRIFT_REPORT : drift;
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    units = List.copyOf(Objects.requireNonNull(units, "units"));
    issuedAt = issuedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    expiresAt = expiresAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  }

  /** A payload with the current schema version. */
  public static BundlePayload of(
      String cluster,
      String namespace,
      String fleet,
      String run,
      long sequence,
      Instant issuedAt,
      Instant expiresAt,
      List<BundleUnit> units,
      boolean rollback) {
    return new BundlePayload(
        SCHEMA_VERSION,
        cluster,
        namespace,
        fleet,
        run,
        sequence,
        issuedAt,
        expiresAt,
        units,
        rollback,
        0);
  }

  /** This payload with {@code minSequence} set (0 removes it). */
  public BundlePayload withMinSequence(long min) {
    return new BundlePayload(
        schemaVersion,
        cluster,
        namespace,
        fleet,
        run,
        sequence,
        issuedAt,
        expiresAt,
        units,
        rollback,
        min,
        drift,
        minEvidenceNumber);
  }

  /** This payload with another drift policy. */
  public BundlePayload withDrift(String policy) {
    return new BundlePayload(
        schemaVersion,
        cluster,
        namespace,
        fleet,
        run,
        sequence,
        issuedAt,
        expiresAt,
        units,
        rollback,
        minSequence,
        policy,
        minEvidenceNumber);
  }

  /** This payload with {@code minEvidenceNumber} set (0 removes it). */
  public BundlePayload withMinEvidenceNumber(long number) {
    return new BundlePayload(
        schemaVersion,
        cluster,
        namespace,
        fleet,
        run,
        sequence,
        issuedAt,
        expiresAt,
        units,
        rollback,
        minSequence,
        drift,
        number);
  }

  /**
   * Checks that {@code sequence} is in the one range bundles use, 1 to {@link #MAX_SEQUENCE}.
   *
   * @param field named in the message
   * @throws OciException with reason {@code INVALID_INPUT} naming the field and the range
   */
  public static long requireSequence(long sequence, String field) {
    if (sequence < 1 || sequence > MAX_SEQUENCE) {
      throw invalid(
          field + " must be between 1 and " + MAX_SEQUENCE + " (2^53 - 1), got " + sequence);
    }
    return sequence;
  }

  /**
   * Checks what a well-formed payload must satisfy (names set, sequence and minSequence in range,
   * expiry after issue, unit names unique). The schema version is not checked here: that is the
   * verifier's call.
   *
   * @return this payload
   * @throws OciException with reason {@code INVALID_INPUT} naming the field
   */
  public BundlePayload validate() {
    requireName(cluster, "cluster");
    requireName(namespace, "namespace");
    requireName(fleet, "fleet");
    requireName(run, "run");
    requireSequence(sequence, "sequence");
    if (minSequence != 0) {
      requireSequence(minSequence, "minSequence");
      if (minSequence > sequence) {
        throw invalid(
            "minSequence " + minSequence + " is above the bundle's own sequence " + sequence);
      }
    }
    if (minEvidenceNumber != 0) {
      requireSequence(minEvidenceNumber, "minEvidenceNumber");
    }
    if (!drift.equals(DRIFT_REPORT) && !drift.equals(DRIFT_REAPPLY)) {
      throw invalid(
          "drift must be '" + DRIFT_REPORT + "' or '" + DRIFT_REAPPLY + "', got '" + drift + "'");
    }
    if (!expiresAt.isAfter(issuedAt)) {
      throw invalid("expiresAt (" + expiresAt + ") must be after issuedAt (" + issuedAt + ")");
    }
    Set<String> names = new HashSet<>();
    for (BundleUnit unit : units) {
      requireName(unit.name(), "units[].name");
      if (!names.add(unit.name())) {
        throw invalid(
            "units[].name '" + unit.name() + "' appears twice; unit names must be unique");
      }
    }
    return this;
  }

  private static void requireName(String value, String field) {
    if (value == null || value.isBlank()) {
      throw invalid(field + " must be set (non-blank)");
    }
  }

  private static OciException invalid(String message) {
    return new OciException(OciException.Reason.INVALID_INPUT, "bundle payload: " + message);
  }
}
