package io.kapro.cli.promote;

import io.kapro.api.Names;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.Plan;
import io.kapro.api.v1alpha2.Promotion;
import io.kapro.api.v1alpha2.PromotionSpec;
import io.kapro.api.v1alpha2.UnitVersion;
import io.kapro.api.validation.SpecValidator;
import io.kapro.api.validation.Violation;
import io.kapro.cli.CliException;
import io.kapro.cli.ExitCodes;
import io.kapro.cli.Flags;
import io.kapro.cli.Output;
import io.kapro.cli.kube.KubeOptions;
import io.kapro.cli.kube.KubeSession;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kapro promote <fleet> --unit U --version V [--plan P] [--wait]}: creates a Promotion. */
@Command(
    name = "promote",
    description = {
      "Promote unit versions through a fleet (creates a Promotion).",
      "The Promotion is validated before anything is sent. With --wait, follows its run and",
      "exits 0 when it succeeds, 1 when it fails, halts or rolls back, 5 on --timeout."
    })
public final class PromoteCommand implements Callable<Integer> {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;

  @Parameters(index = "0", paramLabel = "FLEET", description = "Fleet name.")
  String fleet;

  @Option(
      names = {"-u", "--unit"},
      required = true,
      paramLabel = "UNIT",
      description = "Unit of the fleet to promote (repeat with --version for several).")
  List<String> units;

  @Option(
      names = "--version",
      required = true,
      paramLabel = "VERSION",
      description = "Version for the --unit at the same position.")
  List<String> versions;

  @Option(
      names = {"-p", "--plan"},
      paramLabel = "PLAN",
      description = "Plan to follow (default: the only Plan in the namespace).")
  String plan;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Name of the Promotion (default: <fleet>-<unit>-<version>-<random>).")
  String name;

  @Option(
      names = "--dry-run",
      description = {
        "Create nothing: print the plan the hub's engine would follow for this fleet now (per",
        "stage and wave: clusters, each unit's from -> to version, gates, which unreachable",
        "clusters would be waited for, skipped or failed). With -o json|yaml, print the",
        "Promotion instead."
      })
  boolean dryRun;

  @Option(names = "--wait", description = "Follow the run until it ends.")
  boolean wait;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "30m",
      description = "How long --wait waits (default ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      defaultValue = "2s",
      description = "How often --wait polls (default ${DEFAULT-VALUE}).")
  String pollInterval;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "Print the created Promotion as json or yaml.")
  Output.Format format;

  @Override
  public Integer call() throws InterruptedException {
    Duration limit = Flags.duration("--timeout", timeout);
    Duration every = Flags.duration("--poll-interval", pollInterval);
    if (units.size() != versions.size()) {
      throw CliException.usage(
          units.size() + " --unit but " + versions.size() + " --version",
          "give one --version per --unit, in the same order: --unit web --version 1.2.3");
    }
    Flags.name("FLEET", fleet);
    if (name != null) {
      Flags.name("--name", name);
    }
    if (plan != null) {
      Flags.name("--plan", plan);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (KubeSession session = kube.open()) {
      PromotionSpec promotion = new PromotionSpec();
      promotion.setFleet(fleet);
      // a valid stand-in until the default plan is looked up (after the checks that need no API)
      promotion.setPlan(plan == null ? "plan" : plan);
      List<UnitVersion> list = new ArrayList<>();
      for (int i = 0; i < units.size(); i++) {
        UnitVersion u = new UnitVersion();
        u.setName(units.get(i));
        u.setVersion(versions.get(i));
        list.add(u);
      }
      promotion.setUnits(list);
      // what needs no API call first, so a typo fails before anything is read
      reject(SpecValidator.validatePromotion(promotion));
      Fleet f = session.fleet(fleet);
      reject(SpecValidator.validatePromotion(promotion, f.getSpec()));
      Plan chosen = plan == null ? onlyPlan(session) : session.plan(plan);
      promotion.setPlan(chosen.getMetadata().getName());
      rejectPlan(chosen);

      Promotion p = new Promotion();
      p.setMetadata(
          new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
              .withName(name != null ? name : defaultName(list))
              .withNamespace(session.namespace())
              .addToLabels(io.kapro.api.Kapro.Labels.FLEET, fleet)
              .build());
      p.setSpec(promotion);
      if (dryRun && (format == Output.Format.json || format == Output.Format.yaml)) {
        Output.structured(out, format, p);
        return ExitCodes.OK;
      }
      if (dryRun) {
        Preview.print(out, p, chosen, f, session.clusters());
        return ExitCodes.OK;
      }
      Promotion created =
          session
              .client()
              .resources(Promotion.class)
              .inNamespace(session.namespace())
              .resource(p)
              .create();
      if (format == Output.Format.json || format == Output.Format.yaml) {
        Output.structured(out, format, created);
      } else {
        out.println(
            "promotion.kapro.io/"
                + created.getMetadata().getName()
                + " created: fleet "
                + fleet
                + ", plan "
                + promotion.getPlan()
                + ", "
                + list.stream()
                    .map(u -> u.getName() + "=" + u.getVersion())
                    .collect(Collectors.joining(",")));
      }
      out.flush();
      if (!wait) {
        return ExitCodes.OK;
      }
      return new RunFollower(session, out, limit, every).follow(created.getMetadata().getName());
    }
  }

  private static void reject(List<Violation> violations) {
    if (violations.isEmpty()) {
      return;
    }
    String lines =
        violations.stream()
            .map(v -> flagOf(v.path()) + ": " + v.message())
            .collect(Collectors.joining("\n  "));
    throw CliException.usage(
        "invalid promotion, nothing was created:\n  " + lines,
        "fix the flag named above; see kapro promote --help");
  }

  /** Names the flag a spec path came from: spec.units[0].version becomes --version (spec...). */
  static String flagOf(String path) {
    String flag;
    if (path.endsWith(".version")) {
      flag = "--version";
    } else if (path.endsWith(".name") || path.equals("spec.units")) {
      flag = "--unit";
    } else if (path.equals("spec.plan")) {
      flag = "--plan";
    } else if (path.equals("spec.fleet")) {
      flag = "FLEET";
    } else {
      return path;
    }
    return flag + " (" + path + ")";
  }

  /**
   * Refuses a Plan the hub would refuse: the same rules ({@link SpecValidator}) that the hub's plan
   * compiler runs before a run starts, so a promotion through a broken Plan fails here, not as a
   * run marked InvalidSpec.
   */
  private static void rejectPlan(Plan p) {
    List<Violation> violations = SpecValidator.validate(p);
    if (violations.isEmpty()) {
      return;
    }
    throw CliException.usage(
        "plan "
            + p.getMetadata().getName()
            + " is invalid, nothing was created:\n  "
            + violations.stream().map(Violation::toString).collect(Collectors.joining("\n  ")),
        "fix the Plan (kubectl edit plan " + p.getMetadata().getName() + ") and promote again");
  }

  private static Plan onlyPlan(KubeSession session) {
    List<Plan> plans = session.list(Plan.class);
    if (plans.isEmpty()) {
      throw CliException.notFound(
          "no Plan in namespace " + session.namespace(),
          "create one (see examples/) or name one with --plan");
    }
    if (plans.size() > 1) {
      throw CliException.usage(
          "namespace "
              + session.namespace()
              + " has "
              + plans.size()
              + " Plans: "
              + plans.stream().map(x -> x.getMetadata().getName()).toList(),
          "name one with --plan");
    }
    return plans.get(0);
  }

  private String defaultName(List<UnitVersion> list) {
    String version =
        list.get(0).getVersion().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    String base = (fleet + "-" + list.get(0).getName() + "-" + version).replaceAll("-+$", "");
    String suffix = Integer.toString(36 * 36 * 36 + RANDOM.nextInt(36 * 36 * 36 * 35), 36);
    return Names.shorten(base, Names.MAX - suffix.length() - 1) + "-" + suffix;
  }
}
