package io.kapro.hub.publish;

import io.kapro.api.Durations;
import io.kapro.api.KaproApiException;
import io.kapro.api.v1alpha2.DriftPolicy;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.FleetSpec;
import io.kapro.api.v1alpha2.FleetUnit;
import io.kapro.api.v1alpha2.SecretKeyRef;
import io.kapro.hub.target.PublishException;
import io.kapro.oci.OciException;
import io.kapro.oci.bundle.BundlePayload;
import io.kapro.oci.bundle.BundleRepository;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the publisher needs from a Fleet, checked: where bundles go, the signing key reference,
 * lifetimes and the units by name. Bad values fail with {@link
 * PublishException.Reason#INVALID_SPEC} naming the field.
 *
 * @param namespace the Fleet's namespace
 * @param name the Fleet's name
 * @param location registry or layout
 * @param key the signing key Secret and key
 * @param ttl bundle lifetime
 * @param reissueBefore re-issue this long before expiry
 * @param units unit definitions by name, in spec order
 * @param drift the drift policy written into every bundle ({@code report} or {@code reapply})
 */
public record FleetConfig(
    String namespace,
    String name,
    StoreLocation location,
    SecretKeyRef key,
    Duration ttl,
    Duration reissueBefore,
    Map<String, FleetUnit> units,
    String drift) {

  static final Duration MIN_TTL = Duration.ofMinutes(5);

  /** Reads and checks a Fleet. */
  public static FleetConfig of(Fleet fleet) {
    String ns = fleet.getMetadata().getNamespace();
    String name = fleet.getMetadata().getName();
    String where = "Fleet " + ns + "/" + name;
    FleetSpec spec = fleet.getSpec();
    if (spec == null) {
      throw invalid(where + " has no spec");
    }
    StoreLocation location = StoreLocation.of(spec, where);
    if (spec.getSigning() == null
        || spec.getSigning().getKeySecretRef() == null
        || blank(spec.getSigning().getKeySecretRef().getName())) {
      throw invalid(where + ": set spec.signing.keySecretRef.name to the Secret holding the key");
    }
    SecretKeyRef key = spec.getSigning().getKeySecretRef();
    if (blank(key.getKey())) {
      SecretKeyRef k = new SecretKeyRef();
      k.setName(key.getName());
      k.setKey("cosign.key");
      key = k;
    }
    Duration ttl =
        duration(
            spec.getBundleTTL() == null ? "24h" : spec.getBundleTTL(), where, "spec.bundleTTL");
    if (ttl.compareTo(MIN_TTL) < 0) {
      throw invalid(where + ": spec.bundleTTL must be at least 5m, got " + spec.getBundleTTL());
    }
    if (ttl.compareTo(io.kapro.api.v1alpha2.FleetSpec.MAX_BUNDLE_TTL) > 0) {
      throw invalid(
          where + ": spec.bundleTTL must be at most 168h (7 days), got " + spec.getBundleTTL());
    }
    Duration before =
        spec.getReissueBefore() == null
            ? ttl.dividedBy(3)
            : duration(spec.getReissueBefore(), where, "spec.reissueBefore");
    if (before.isZero() || before.compareTo(ttl) >= 0) {
      throw invalid(
          where
              + ": spec.reissueBefore ("
              + spec.getReissueBefore()
              + ") must be above 0 and below spec.bundleTTL ("
              + spec.getBundleTTL()
              + ")");
    }
    if (spec.getUnits() == null || spec.getUnits().isEmpty()) {
      throw invalid(where + ": spec.units is empty; declare the units bundles may set");
    }
    Map<String, FleetUnit> units = new LinkedHashMap<>();
    for (int i = 0; i < spec.getUnits().size(); i++) {
      FleetUnit u = spec.getUnits().get(i);
      UnitFields.check(u, where + " spec.units[" + i + "]");
      if (units.put(u.getName(), u) != null) {
        throw invalid(where + ": spec.units[" + i + "].name '" + u.getName() + "' appears twice");
      }
    }
    String drift =
        spec.getDrift() == DriftPolicy.Reapply
            ? BundlePayload.DRIFT_REAPPLY
            : BundlePayload.DRIFT_REPORT;
    return new FleetConfig(
        ns, name, location, key, ttl, before, Collections.unmodifiableMap(units), drift);
  }

  /** The cluster's bundle repository, {@code <prefix>/<namespace>/<cluster>}. */
  public String repository(String cluster) {
    try {
      return BundleRepository.of(location.repositoryPrefix(), namespace, cluster);
    } catch (OciException e) {
      throw invalid("Fleet " + namespace + "/" + name + ": " + e.getMessage());
    }
  }

  private static Duration duration(String text, String where, String field) {
    try {
      return Durations.parsePositive(text);
    } catch (KaproApiException e) {
      throw invalid(where + ": " + field + ": " + e.getMessage());
    }
  }

  static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  static PublishException invalid(String message) {
    return new PublishException(PublishException.Reason.INVALID_SPEC, message);
  }
}
