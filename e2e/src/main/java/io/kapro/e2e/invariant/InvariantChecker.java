package io.kapro.e2e.invariant;

import io.kapro.e2e.invariant.History.Applied;
import io.kapro.e2e.invariant.History.Delivery;
import io.kapro.e2e.invariant.History.Expected;
import io.kapro.e2e.invariant.History.TargetRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a recorded {@link History} against the invariants I1–I5. Pure: every scenario of the fault
 * matrix records its history and hands it here, and {@code InvariantCheckerTest} feeds it histories
 * with one invariant broken on purpose. A re-publish (a higher sequence with the same content) is
 * allowed; applying a lower sequence is not.
 */
public final class InvariantChecker {
  private InvariantChecker() {}

  /** Every violation found, in invariant order. */
  public static Report check(History h) {
    List<Violation> out = new ArrayList<>();
    terminalPhases(h, out);
    sequences(h, out);
    evidence(h, out);
    signatures(h, out);
    oneTargetPerClusterAndStage(h, out);
    return new Report(out);
  }

  private static String key(String run, String cluster, String stage) {
    return run + "/" + cluster + "/" + stage;
  }

  private static void terminalPhases(History h, List<Violation> out) {
    Map<String, List<TargetRecord>> byKey = new HashMap<>();
    for (TargetRecord t : h.targets()) {
      byKey.computeIfAbsent(key(t.run(), t.cluster(), t.stage()), k -> new ArrayList<>()).add(t);
    }
    Set<String> expectedRuns = h.expected().stream().map(Expected::run).collect(Collectors.toSet());
    Set<String> expectedKeys =
        h.expected().stream()
            .map(e -> key(e.run(), e.cluster(), e.stage()))
            .collect(Collectors.toSet());
    for (Expected e : h.expected()) {
      List<TargetRecord> found =
          byKey.getOrDefault(key(e.run(), e.cluster(), e.stage()), List.of());
      if (found.isEmpty()) {
        out.add(
            new Violation(
                Invariant.I1,
                e.cluster(),
                "stage " + e.stage() + " of run " + e.run(),
                "no Target; expected one ending " + e.phase()));
      }
      for (TargetRecord t : found) {
        if (t.phase() != e.phase()) {
          out.add(
              new Violation(
                  Invariant.I1,
                  e.cluster(),
                  "Target " + t.name(),
                  "ended "
                      + t.phase()
                      + ", expected "
                      + e.phase()
                      + (t.message() == null || t.message().isBlank()
                          ? ""
                          : " (message: " + t.message() + ")")));
        }
      }
    }
    for (TargetRecord t : h.targets()) {
      if (expectedRuns.contains(t.run())
          && !expectedKeys.contains(key(t.run(), t.cluster(), t.stage()))) {
        out.add(
            new Violation(
                Invariant.I1,
                t.cluster(),
                "Target " + t.name(),
                "exists (phase " + t.phase() + ") but the scenario expects no Target there"));
      }
    }
  }

  private static void sequences(History h, List<Violation> out) {
    Map<String, Applied> highest = new LinkedHashMap<>();
    for (Applied a : h.applies()) {
      Applied top = highest.get(a.cluster());
      if (top != null && a.sequence() < top.sequence()) {
        out.add(
            new Violation(
                Invariant.I2,
                a.cluster(),
                "bundle sequence " + a.sequence() + " (" + a.digest() + ")",
                "applied at "
                    + a.at()
                    + " after sequence "
                    + top.sequence()
                    + " ("
                    + top.digest()
                    + ") was applied at "
                    + top.at()));
        continue;
      }
      if (top != null && a.sequence() == top.sequence() && !a.digest().equals(top.digest())) {
        out.add(
            new Violation(
                Invariant.I2,
                a.cluster(),
                "bundle sequence " + a.sequence() + " (" + a.digest() + ")",
                "a different bundle (" + top.digest() + ") was applied with the same sequence"));
        continue;
      }
      highest.put(a.cluster(), a);
    }
  }

  private static void evidence(History h, List<Violation> out) {
    for (Delivery d : h.deliveries()) {
      if (d.agentUnacked() > 0) {
        out.add(
            new Violation(
                Invariant.I3,
                d.cluster(),
                "evidence up to #" + d.agentLastNumber(),
                d.agentUnacked() + " item(s) still in the agent's outbox, never acknowledged"));
      }
      // a hub number below the agent's with nothing left unacknowledged is not a loss: the hub
      // acks evidence that changes nothing visible without writing its number (the record already
      // says what it says; docs/design/api-budget.md); what the hub shows is checked by I1
      if (d.hubLastNumber() < d.agentLastNumber() && d.agentUnacked() > 0) {
        out.add(
            new Violation(
                Invariant.I3,
                d.cluster(),
                range(d.hubLastNumber() + 1, d.agentLastNumber()),
                "produced by the agent, but the hub recorded evidence only up to #"
                    + d.hubLastNumber()));
      } else if (d.hubLastNumber() > d.agentLastNumber()) {
        out.add(
            new Violation(
                Invariant.I3,
                d.cluster(),
                range(d.agentLastNumber() + 1, d.hubLastNumber()),
                "recorded by the hub, but the agent's outbox only ever numbered up to #"
                    + d.agentLastNumber()
                    + " (the agent lost its outbox)"));
      }
    }
  }

  private static String range(long from, long to) {
    return from == to ? "evidence #" + from : "evidence #" + from + "..#" + to;
  }

  private static void signatures(History h, List<Violation> out) {
    for (Applied a : h.applies()) {
      if (!a.signature().valid()) {
        out.add(
            new Violation(
                Invariant.I4,
                a.cluster(),
                "bundle sequence " + a.sequence() + " (" + a.digest() + ")",
                "applied at "
                    + a.at()
                    + ", but its signature does not verify: "
                    + a.signature().detail()));
      }
    }
  }

  private static void oneTargetPerClusterAndStage(History h, List<Violation> out) {
    Map<String, List<TargetRecord>> byKey = new LinkedHashMap<>();
    for (TargetRecord t : h.targets()) {
      byKey.computeIfAbsent(key(t.run(), t.cluster(), t.stage()), k -> new ArrayList<>()).add(t);
    }
    for (List<TargetRecord> same : byKey.values()) {
      if (same.size() > 1) {
        TargetRecord first = same.getFirst();
        out.add(
            new Violation(
                Invariant.I5,
                first.cluster(),
                "stage " + first.stage() + " of run " + first.run(),
                same.size()
                    + " Targets: "
                    + same.stream().map(TargetRecord::name).collect(Collectors.joining(", "))));
      }
    }
  }

  /** What {@link #check} found. */
  public record Report(List<Violation> violations) {
    public Report {
      violations = List.copyOf(violations);
    }

    public boolean held() {
      return violations.isEmpty();
    }

    /** One line per violation, naming the invariant, the cluster and the item. */
    public String describe() {
      if (held()) {
        return "all invariants held";
      }
      return violations.size()
          + " invariant violation(s):\n  - "
          + violations.stream().map(Violation::toString).collect(Collectors.joining("\n  - "));
    }

    /** Throws an {@link AssertionError} with {@link #describe()} unless every invariant held. */
    public Report assertHeld() {
      if (!held()) {
        throw new AssertionError(describe());
      }
      return this;
    }
  }
}
