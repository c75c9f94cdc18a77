package io.kapro.agent.apply.flux;

import com.fasterxml.jackson.databind.JsonNode;
import io.kapro.agent.apply.Desired;
import io.kapro.agent.config.ManagedKind;
import io.kapro.oci.version.SemverRange;
import java.util.List;
import java.util.Optional;

/**
 * Where each Flux kind reports the revision it applied or fetched, and whether that is the desired
 * one:
 *
 * <ul>
 *   <li>HelmRelease: the latest {@code status.history} snapshot ({@code chartVersion}, build
 *       metadata such as {@code +0cc9a8446c95} ignored, {@code status: deployed}), else v2beta1's
 *       {@code lastAppliedRevision}; a chart version range is satisfied by the resolved version;
 *   <li>OCIRepository: {@code status.artifact.revision} as {@code <tag>@sha256:<hex>}, {@code
 *       sha256:<hex>} for a digest, or the pre-v1 {@code <tag>/<hex>}; {@code .ref.digest} takes
 *       precedence over {@code .ref.semver}, which takes precedence over {@code .ref.tag};
 *   <li>GitRepository: {@code status.artifact.revision} as {@code <ref>@sha1:<commit>}, {@code
 *       sha1:<commit>} for a bare commit, or the pre-v1 {@code <ref>/<commit>}; precedence {@code
 *       commit > name > semver > tag > branch};
 *   <li>Kustomization: {@code lastAppliedRevision} equal to {@code lastAttemptedRevision}.
 * </ul>
 *
 * @param observed the revision the controller reports, empty if none yet
 * @param mismatch why it is not the desired one, empty when it is
 */
record FluxRevision(String observed, Optional<String> mismatch) {
  private static final List<String> OCI_PRECEDENCE =
      List.of("spec.ref.digest", "spec.ref.semver", "spec.ref.tag");
  private static final List<String> GIT_PRECEDENCE =
      List.of(
          "spec.ref.commit", "spec.ref.name", "spec.ref.semver", "spec.ref.tag", "spec.ref.branch");

  static FluxRevision of(ManagedKind kind, JsonNode object, Desired desired) {
    JsonNode status = object.path("status");
    String artifact = status.path("artifact").path("revision").asText("");
    return switch (kind) {
      case HELM_RELEASE -> helmRelease(status, desired);
      case OCI_REPOSITORY -> ociRepository(object, artifact, desired);
      case GIT_REPOSITORY -> gitRepository(object, artifact, desired);
      case KUSTOMIZATION -> kustomization(status);
      case APPLICATION -> throw new IllegalArgumentException("not a Flux kind: " + kind);
    };
  }

  private static FluxRevision helmRelease(JsonNode status, Desired desired) {
    String want = desired.valueAt("spec.chart.spec.version").orElse(desired.version());
    JsonNode latest = status.path("history").path(0);
    String attempted = status.path("lastAttemptedRevision").asText("");
    if (latest.isMissingNode()) {
      String applied = status.path("lastAppliedRevision").asText("");
      return compare(applied, chartMatches(want, applied), "chart version " + want);
    }
    String observed = latest.path("chartVersion").asText("");
    String releaseStatus = latest.path("status").asText("");
    if (!chartMatches(want, observed)) {
      if (!attempted.isEmpty() && chartMatches(want, attempted)) {
        return new FluxRevision(
            observed,
            Optional.of(
                "chart "
                    + attempted
                    + " was attempted, but the latest release is chart "
                    + observed
                    + (releaseStatus.isEmpty() ? "" : " (" + releaseStatus + ")")
                    + ", want chart version "
                    + want));
      }
      return compare(observed, false, "chart version " + want);
    }
    if (!releaseStatus.isEmpty() && !releaseStatus.equals("deployed")) {
      return new FluxRevision(
          observed, Optional.of("release of chart " + observed + " is " + releaseStatus));
    }
    return new FluxRevision(observed, Optional.empty());
  }

  /** A chart version (build metadata ignored) against an exact version or a range. */
  static boolean chartMatches(String want, String got) {
    if (got.isEmpty()) {
      return false;
    }
    if (SemverRange.isRange(want)) {
      return SemverRange.parse(want).map(r -> r.contains(got)).orElse(false);
    }
    return strip(got).equals(strip(want));
  }

  private static String strip(String version) {
    int plus = version.indexOf('+');
    String v = plus >= 0 ? version.substring(0, plus) : version;
    return v.startsWith("v") ? v.substring(1) : v;
  }

  private static FluxRevision ociRepository(JsonNode object, String observed, Desired desired) {
    Optional<FluxRevision> shadowed = shadowed(object, desired, OCI_PRECEDENCE, observed);
    if (shadowed.isPresent()) {
      return shadowed.get();
    }
    Optional<String> digest =
        desired
            .valueAt("spec.ref.digest")
            .or(() -> Optional.of(desired.digest()).filter(d -> !d.isEmpty()));
    if (digest.isPresent()) {
      String d = digest.get();
      String hex = d.substring(d.indexOf(':') + 1);
      boolean ok = observed.equals(d) || observed.endsWith("@" + d) || observed.endsWith("/" + hex);
      return compare(observed, ok, "digest " + d);
    }
    Optional<String> semver = desired.valueAt("spec.ref.semver");
    if (semver.isPresent()) {
      return semver(observed, semver.get());
    }
    Optional<String> tag = desired.valueAt("spec.ref.tag");
    if (tag.isPresent()) {
      return compare(observed, refIs(observed, tag.get()), "tag " + tag.get());
    }
    return compare(observed, !observed.isEmpty(), "an artifact");
  }

  private static FluxRevision gitRepository(JsonNode object, String observed, Desired desired) {
    Optional<FluxRevision> shadowed = shadowed(object, desired, GIT_PRECEDENCE, observed);
    if (shadowed.isPresent()) {
      return shadowed.get();
    }
    Optional<String> commit = desired.valueAt("spec.ref.commit");
    if (commit.isPresent()) {
      String c = commit.get();
      boolean ok =
          observed.endsWith(":" + c)
              || observed.endsWith("/" + c)
              || observed.equals(c)
              || (c.length() >= 7 && observed.matches(".*[:/]" + c + "[0-9a-f]*"));
      return compare(observed, ok, "commit " + c);
    }
    Optional<String> semver = desired.valueAt("spec.ref.semver");
    if (semver.isPresent()) {
      return semver(observed, semver.get());
    }
    for (String ref : new String[] {"spec.ref.name", "spec.ref.tag", "spec.ref.branch"}) {
      Optional<String> v = desired.valueAt(ref);
      if (v.isPresent()) {
        return compare(
            observed,
            refIs(observed, v.get()),
            ref.substring(ref.lastIndexOf('.') + 1) + " " + v.get());
      }
    }
    return compare(observed, !observed.isEmpty(), "an artifact");
  }

  /**
   * The source resolves the highest-precedence reference its spec holds: when that is a field the
   * bundle did not set, the value the bundle set is ignored by the controller.
   */
  private static Optional<FluxRevision> shadowed(
      JsonNode object, Desired desired, List<String> precedence, String observed) {
    Optional<String> mine =
        precedence.stream().filter(p -> desired.valueAt(p).isPresent()).findFirst();
    if (mine.isEmpty()) {
      return Optional.empty();
    }
    for (String p : precedence) {
      if (p.equals(mine.get())) {
        return Optional.empty();
      }
      String field = p.substring(p.lastIndexOf('.') + 1);
      JsonNode v = object.path("spec").path("ref").path(field);
      if (v.isValueNode() && !v.asText("").isEmpty()) {
        return Optional.of(
            new FluxRevision(
                observed,
                Optional.of(
                    p
                        + "="
                        + v.asText()
                        + " takes precedence over the "
                        + mine.get()
                        + " the bundle set, so the source does not fetch it")));
      }
    }
    return Optional.empty();
  }

  /** The ref part of a revision ({@code v1.2.3@sha1:…}, legacy {@code v1.2.3/…}) is {@code ref}. */
  private static boolean refIs(String observed, String ref) {
    return observed.equals(ref) || pointer(observed).equals(ref);
  }

  private static FluxRevision semver(String observed, String range) {
    String tag = pointer(observed);
    Optional<SemverRange> r = SemverRange.parse(range);
    if (r.isEmpty()) {
      return new FluxRevision(
          observed, Optional.of("spec.ref.semver '" + range + "' is not a SemVer range"));
    }
    return compare(
        observed, !tag.isEmpty() && r.get().contains(tag), "a tag in semver range '" + range + "'");
  }

  /**
   * The named pointer of a revision (RFC-0005: the digest follows the last {@code @}; without
   * {@code @} or {@code :} it is the pre-v1 {@code <pointer>/<checksum>}), empty if there is none.
   */
  static String pointer(String revision) {
    int at = revision.lastIndexOf('@');
    if (at >= 0) {
      return revision.substring(0, at);
    }
    if (revision.contains(":")) {
      return "";
    }
    int slash = revision.lastIndexOf('/');
    return slash >= 0 ? revision.substring(0, slash) : "";
  }

  private static FluxRevision kustomization(JsonNode status) {
    String applied = status.path("lastAppliedRevision").asText("");
    String attempted = status.path("lastAttemptedRevision").asText("");
    if (applied.isEmpty()) {
      return new FluxRevision("", Optional.of("no revision applied yet"));
    }
    if (!attempted.isEmpty() && !attempted.equals(applied)) {
      return new FluxRevision(
          applied,
          Optional.of("last attempted revision " + attempted + " is not the applied " + applied));
    }
    return new FluxRevision(applied, Optional.empty());
  }

  private static FluxRevision compare(String observed, boolean ok, String want) {
    if (ok) {
      return new FluxRevision(observed, Optional.empty());
    }
    return new FluxRevision(
        observed,
        Optional.of(
            observed.isEmpty()
                ? "no revision reported yet, want " + want
                : "reports revision " + observed + ", want " + want));
  }
}
