package io.kapro.cli.approve;

import io.kapro.cli.Output;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What {@code approve} and {@code reject} share: the run, the scope, the reason, the approver. */
public final class DecisionOptions {
  @Parameters(index = "0", paramLabel = "RUN", description = "The PromotionRun.")
  String run;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Scope scope;

  @Option(
      names = {"-r", "--reason"},
      required = true,
      paramLabel = "TEXT",
      description = "Why (kept in the Approval and the run's audit trail).")
  String reason;

  @Option(
      names = "--as",
      paramLabel = "USER",
      description =
          "Decide as this user, by impersonation like kubectl --as (default: you, as the API"
              + " server authenticates you; that name is recorded as the approver).")
  String approver;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "Print the created Approval as json or yaml.")
  Output.Format format;

  /** Exactly one of stage and target, or neither (the whole run). */
  static final class Scope {
    @Option(names = "--stage", paramLabel = "STAGE", description = "Decide for one stage.")
    String stage;

    @Option(names = "--target", paramLabel = "TARGET", description = "Decide for one Target.")
    String target;
  }
}
