package io.kapro.cli.approve;

import io.kapro.api.v1alpha2.Decision;
import io.kapro.cli.kube.KubeOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kapro approve <run> [--stage S | --target T] --reason "..."}: creates an Approval. */
@Command(
    name = "approve",
    description = "Approve a run, one of its stages or one Target: creates an Approval.")
public final class ApproveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;
  @Mixin DecisionOptions decision;

  @Override
  public Integer call() {
    return Decide.create(kube, decision, Decision.Approve, spec.commandLine().getOut());
  }
}
