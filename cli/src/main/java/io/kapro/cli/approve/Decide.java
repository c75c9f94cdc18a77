package io.kapro.cli.approve;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kapro.api.Kapro;
import io.kapro.api.Names;
import io.kapro.api.v1alpha2.Approval;
import io.kapro.api.v1alpha2.ApprovalSpec;
import io.kapro.api.v1alpha2.Decision;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.Stage;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.validation.SpecValidator;
import io.kapro.api.validation.Violation;
import io.kapro.cli.CliException;
import io.kapro.cli.Flags;
import io.kapro.cli.Output;
import io.kapro.cli.kube.KubeOptions;
import io.kapro.cli.kube.KubeSession;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Creates an Approval after checking the run, stage or target exists. */
final class Decide {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Decide() {}

  static int create(KubeOptions kube, DecisionOptions o, Decision decision, PrintWriter out) {
    Output.Format format = o.format;
    Flags.name("RUN", o.run);
    String stage = o.scope == null ? null : o.scope.stage;
    String target = o.scope == null ? null : o.scope.target;
    if (o.reason == null || o.reason.isBlank()) {
      throw CliException.usage("--reason is empty", "say why, e.g. --reason \"change CHG-123\"");
    }
    if (o.approver != null && o.approver.isBlank()) {
      throw CliException.usage("--as is empty", "name the user to act as, or leave --as out");
    }
    // the approver on record is the authenticated user (the hub chart's admission policy requires
    // it); --as acts as another user the way kubectl's --as does, by impersonation
    try (KubeSession session = kube.open(o.approver)) {
      String approver =
          session.authenticatedUser().orElse(o.approver != null ? o.approver : session.user());
      if (approver == null || approver.isBlank()) {
        throw CliException.usage(
            "no approver: the API server does not say who you are (no SelfSubjectReview before"
                + " Kubernetes 1.28) and the kubeconfig context names no user",
            "say who decides with --as");
      }
      ApprovalSpec spec = new ApprovalSpec();
      spec.setRun(o.run);
      spec.setStage(stage);
      spec.setTarget(target);
      spec.setDecision(decision);
      spec.setReason(o.reason);
      spec.setApprover(approver);
      reject(SpecValidator.validateApproval(spec));
      PromotionRun run = session.require(PromotionRun.class, o.run);
      if (stage != null) {
        requireStage(run, stage);
      }
      if (target != null) {
        Target t = session.require(Target.class, target);
        if (t.getSpec() == null || !o.run.equals(t.getSpec().getRun())) {
          throw CliException.usage(
              "target "
                  + target
                  + " belongs to run "
                  + (t.getSpec() == null ? "?" : t.getSpec().getRun())
                  + ", not "
                  + o.run,
              "name the run the target belongs to");
        }
      }
      Approval a = new Approval();
      String scope = stage != null ? stage : target != null ? "target" : "run";
      String suffix = Integer.toString(36 * 36 * 36 + RANDOM.nextInt(36 * 36 * 36 * 35), 36);
      var meta =
          new ObjectMetaBuilder()
              .withName(
                  Names.shorten(
                          o.run + "-" + scope + "-" + decision.name().toLowerCase(Locale.ROOT),
                          Names.MAX - suffix.length() - 1)
                      + "-"
                      + suffix)
              .withNamespace(session.namespace())
              .addToLabels(Kapro.Labels.PROMOTION_RUN, o.run);
      if (stage != null) {
        meta.addToLabels(Kapro.Labels.STAGE, stage);
      }
      if (run.getSpec() != null && run.getSpec().getFleet() != null) {
        meta.addToLabels(Kapro.Labels.FLEET, run.getSpec().getFleet());
      }
      a.setMetadata(meta.build());
      a.setSpec(spec);
      Approval created =
          session
              .client()
              .resources(Approval.class)
              .inNamespace(session.namespace())
              .resource(a)
              .create();
      if (format == Output.Format.json || format == Output.Format.yaml) {
        Output.structured(out, format, created);
      } else {
        out.println(
            "approval.kapro.io/"
                + created.getMetadata().getName()
                + " created: "
                + decision
                + " run "
                + o.run
                + (stage != null ? " stage " + stage : "")
                + (target != null ? " target " + target : "")
                + " as "
                + approver);
        out.flush();
      }
      return 0;
    }
  }

  private static void requireStage(PromotionRun run, String stage) {
    List<String> stages =
        run.getSpec() == null
                || run.getSpec().getPlanSnapshot() == null
                || run.getSpec().getPlanSnapshot().getStages() == null
            ? List.of()
            : run.getSpec().getPlanSnapshot().getStages().stream().map(Stage::getName).toList();
    if (!stages.isEmpty() && !stages.contains(stage)) {
      throw CliException.notFound(
          "run " + run.getMetadata().getName() + " has no stage '" + stage + "'",
          "its stages are " + stages);
    }
  }

  private static void reject(List<Violation> violations) {
    if (!violations.isEmpty()) {
      throw CliException.usage(
          "invalid approval, nothing was created: "
              + violations.stream().map(Violation::toString).collect(Collectors.joining("; ")),
          "check RUN, --stage and --target");
    }
  }
}
