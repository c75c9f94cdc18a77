package io.kapro.api.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kapro.api.v1alpha2.Approval;
import io.kapro.api.v1alpha2.ApprovalStatus;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link LocalKubeApi#conflict}: 409 Conflict on matching writes, nothing applied, then lifted. */
class ConflictInjectionIT {
  private static final String STATUS =
      "/apis/kapro\\.io/v1alpha2/namespaces/default/approvals/[^/]+/status";

  @Test
  void matchingStatusWritesGet409AndAreNotAppliedOthersPass() {
    try (LocalKubeApi api = LocalKubeApi.start()) {
      var approvals = api.client().resources(Approval.class).inNamespace("default");
      approvals.resource(LocalKubeApiIT.approval("a1")).create();
      api.conflict(Set.of("PUT", "PATCH"), STATUS, 1.0, 1);

      Approval a = approvals.withName("a1").get();
      a.setStatus(new ApprovalStatus());
      a.getStatus().setAppliedAt("2026-11-22T03:00:00Z");
      assertThatThrownBy(() -> approvals.resource(a).updateStatus())
          .isInstanceOf(KubernetesClientException.class)
          .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));
      assertThat(approvals.withName("a1").get().getStatus()).isNull();
      // the main resource is not matched
      approvals
          .withName("a1")
          .edit(
              x -> {
                x.getMetadata().setLabels(java.util.Map.of("k", "v"));
                return x;
              });
      assertThat(api.conflictsAnswered()).isEqualTo(1);

      api.noConflicts();
      Approval b = approvals.withName("a1").get();
      b.setStatus(new ApprovalStatus());
      b.getStatus().setAppliedAt("2026-11-22T03:00:00Z");
      approvals.resource(b).updateStatus();
      assertThat(approvals.withName("a1").get().getStatus().getAppliedAt())
          .isEqualTo("2026-11-22T03:00:00Z");
    }
  }

  @Test
  void aFractionOutsideZeroToOneIsRefusedNamingIt() {
    try (LocalKubeApi api = LocalKubeApi.start()) {
      assertThatThrownBy(() -> api.conflict(Set.of("PUT"), STATUS, 1.5, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("conflict fraction must be in [0, 1], got 1.5");
      assertThatThrownBy(() -> api.conflict(Set.of("PUT"), "([", 0.5, 1))
          .isInstanceOf(java.util.regex.PatternSyntaxException.class);
    }
  }
}
