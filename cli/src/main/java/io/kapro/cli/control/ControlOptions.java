package io.kapro.cli.control;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The run (or Promotion) a control command acts on, and how {@code --wait} waits. */
final class ControlOptions {
  @Parameters(
      index = "0",
      paramLabel = "RUN",
      description = "A PromotionRun (the current run of its Promotion) or a Promotion.")
  String target;

  @Option(names = "--wait", description = "Wait until the hub has acted (see the exit codes).")
  boolean wait;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10m",
      description = "How long --wait waits (default ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      defaultValue = "2s",
      description = "How often --wait polls (default ${DEFAULT-VALUE}).")
  String pollInterval;
}
