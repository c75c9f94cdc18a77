package io.kapro.cli.why;

import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.Target;
import io.kapro.cli.CliException;
import io.kapro.cli.Flags;
import io.kapro.cli.Output;
import io.kapro.cli.kube.KubeOptions;
import io.kapro.cli.kube.KubeSession;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kapro why <target|cluster>}: why a cluster is or is not on a version. */
@Command(
    name = "why",
    description = {
      "Explain why a cluster is or is not on a version.",
      "Which gate holds it and since when,",
      "what it waits for, what the agent reported, and what would release it.",
      "NAME is a Target, or a Cluster (then its Target in the newest run of each fleet)."
    })
public final class WhyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;

  @Parameters(index = "0", paramLabel = "NAME", description = "Target or Cluster name.")
  String name;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "table (default), json or yaml.")
  Output.Format format = Output.Format.table;

  @Override
  public Integer call() {
    Flags.name("NAME", name);
    PrintWriter out = spec.commandLine().getOut();
    try (KubeSession session = kube.open()) {
      List<Why> answers = answers(session);
      switch (format) {
        case json -> Output.structured(out, format, answers.size() == 1 ? answers.get(0) : answers);
        case yaml -> Output.structured(out, format, answers.size() == 1 ? answers.get(0) : answers);
        default -> answers.forEach(w -> print(out, w));
      }
      out.flush();
      return 0;
    }
  }

  private List<Why> answers(KubeSession session) {
    Target target = session.find(Target.class, name);
    if (target != null && target.getSpec() != null) {
      String c = target.getSpec().getCluster();
      return List.of(
          Explainer.explain(
              c,
              c == null ? null : session.find(Cluster.class, c),
              session.find(PromotionRun.class, target.getSpec().getRun()),
              target));
    }
    Cluster cluster = session.find(Cluster.class, name);
    List<Target> targets =
        session.list(Target.class).stream()
            .filter(t -> t.getSpec() != null && name.equals(t.getSpec().getCluster()))
            .toList();
    if (cluster == null && targets.isEmpty()) {
      throw CliException.notFound(
          "no Target or Cluster named '" + name + "' in namespace " + session.namespace(),
          "list them with: kubectl get clusters.kapro.io,targets.kapro.io -n "
              + session.namespace());
    }
    // the newest run of each fleet that includes the cluster
    Map<String, PromotionRun> runs = new LinkedHashMap<>();
    Map<String, Target> byRun = new LinkedHashMap<>();
    for (Target t : targets) {
      PromotionRun r = session.find(PromotionRun.class, t.getSpec().getRun());
      if (r != null) {
        runs.put(r.getMetadata().getName(), r);
        byRun.put(r.getMetadata().getName(), t);
      }
    }
    Map<String, PromotionRun> newestPerFleet = new LinkedHashMap<>();
    runs.values().stream()
        .sorted(Comparator.comparing((PromotionRun r) -> created(r)).reversed())
        .forEach(r -> newestPerFleet.putIfAbsent(r.getSpec().getFleet(), r));
    List<Why> out = new ArrayList<>();
    for (PromotionRun r : newestPerFleet.values()) {
      out.add(Explainer.explain(name, cluster, r, byRun.get(r.getMetadata().getName())));
    }
    if (out.isEmpty()) {
      out.add(Explainer.explain(name, cluster, null, null));
    }
    return out;
  }

  private static String created(PromotionRun r) {
    String ts = r.getMetadata().getCreationTimestamp();
    return (ts == null ? "" : ts) + "/" + r.getMetadata().getName();
  }

  private static void print(PrintWriter out, Why w) {
    out.println(w.summary() + ".");
    if (w.run() != null) {
      out.println(
          "  run "
              + w.run()
              + (w.stage() == null ? "" : ", stage " + w.stage())
              + (w.target() == null ? "" : ", target " + w.target()));
    }
    for (String r : w.reasons()) {
      out.println("  - " + r);
    }
    for (String h : w.hints()) {
      out.println("  to release: " + h);
    }
  }
}
