package io.kapro.agent.apply.flux;

import com.fasterxml.jackson.databind.JsonNode;
import io.kapro.agent.apply.Desired;
import io.kapro.agent.config.ManagedKind;
import java.util.Optional;

/**
 * Where each Flux kind reports the revision it applied, and whether that is the desired one.
 *
 * @param observed the revision the controller reports, empty if none yet
 * @param mismatch why it is not the desired one, empty when it is
 */
record FluxRevision(String observed, Optional<String> mismatch) {

  static FluxRevision of(ManagedKind kind, JsonNode object, Desired desired) {
    JsonNode status = object.path("status");
    return switch (kind) {
      case HELM_RELEASE -> helmRelease(status, desired);
      case OCI_REPOSITORY ->
          ociRepository(status.path("artifact").path("revision").asText(""), desired);
      case GIT_REPOSITORY ->
          gitRepository(status.path("artifact").path("revision").asText(""), desired);
      case KUSTOMIZATION -> kustomization(status);
      case APPLICATION -> throw new IllegalArgumentException("not a Flux kind: " + kind);
    };
  }

  private static FluxRevision helmRelease(JsonNode status, Desired desired) {
    String want = desired.valueAt("spec.chart.spec.version").orElse(desired.version());
    JsonNode latest = status.path("history").path(0);
    String observed;
    if (!latest.isMissingNode()) {
      observed = latest.path("chartVersion").asText("");
      String releaseStatus = latest.path("status").asText("");
      if (observed.equals(want) && !releaseStatus.isEmpty() && !releaseStatus.equals("deployed")) {
        return new FluxRevision(
            observed, Optional.of("release of chart " + observed + " is " + releaseStatus));
      }
    } else {
      observed = status.path("lastAppliedRevision").asText("");
    }
    if (want.chars().anyMatch(c -> "*^~<>=| xX".indexOf(c) >= 0) && !observed.isEmpty()) {
      return new FluxRevision(observed, Optional.empty()); // a version range: any resolved version
    }
    return compare(observed, observed.equals(want), "chart version " + want);
  }

  private static FluxRevision ociRepository(String observed, Desired desired) {
    Optional<String> digest =
        desired
            .valueAt("spec.ref.digest")
            .or(() -> Optional.of(desired.digest()).filter(d -> !d.isEmpty()));
    if (digest.isPresent()) {
      boolean ok = observed.equals(digest.get()) || observed.endsWith("@" + digest.get());
      return compare(observed, ok, "digest " + digest.get());
    }
    Optional<String> tag = desired.valueAt("spec.ref.tag");
    if (tag.isPresent()) {
      boolean ok = observed.equals(tag.get()) || observed.startsWith(tag.get() + "@");
      return compare(observed, ok, "tag " + tag.get());
    }
    return compare(observed, !observed.isEmpty(), "an artifact");
  }

  private static FluxRevision gitRepository(String observed, Desired desired) {
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
    for (String ref : new String[] {"spec.ref.tag", "spec.ref.branch", "spec.ref.name"}) {
      Optional<String> v = desired.valueAt(ref);
      if (v.isPresent()) {
        String want = v.get();
        boolean ok = observed.startsWith(want + "@") || observed.startsWith(want + "/");
        return compare(observed, ok, ref.substring(ref.lastIndexOf('.') + 1) + " " + want);
      }
    }
    return compare(observed, !observed.isEmpty(), "an artifact");
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
