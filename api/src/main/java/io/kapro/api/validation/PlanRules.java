package io.kapro.api.validation;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.kapro.api.v1alpha2.PlanSpec;
import io.kapro.api.v1alpha2.Stage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Plan spec checks: stage names, the dependency graph, waves, bounds. */
final class PlanRules {
  /** As the CRD schema says ({@code maxItems}); the validator also runs where no schema does. */
  static final int MAX_STAGES = 32;

  private PlanRules() {}

  static void check(Problems p, String path, PlanSpec spec) {
    if (!p.required(path, spec, "spec.stages")) {
      return;
    }
    List<Stage> stages = spec.getStages();
    String sp = path + ".stages";
    if (stages == null || stages.isEmpty()) {
      p.add(sp, "must list at least one stage (name, selector)");
      return;
    }
    if (stages.size() > MAX_STAGES) {
      p.add(sp, "lists " + stages.size() + " stages; at most " + MAX_STAGES + " are allowed");
      return;
    }
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < stages.size(); i++) {
      String at = sp + "[" + i + "]";
      Stage s = stages.get(i);
      if (!p.required(at, s, "name and selector")) {
        continue;
      }
      if (p.required(at + ".name", s.getName(), "a DNS label")) {
        p.dnsLabel(at + ".name", s.getName());
        Integer first = index.putIfAbsent(s.getName(), i);
        if (first != null) {
          p.add(
              at + ".name",
              "duplicate stage name \""
                  + s.getName()
                  + "\" (also "
                  + sp
                  + "["
                  + first
                  + "]); stage names must be unique");
        }
      }
      stage(p, at, s);
    }
    dependencies(p, sp, stages, index);
  }

  private static void stage(Problems p, String at, Stage s) {
    if (p.required(
        at + ".selector",
        s.getSelector(),
        "a label selector, e.g. matchLabels: {kapro.io/stage: prod}")) {
      SelectorRules.check(p, at + ".selector", s.getSelector());
    }
    p.positiveDuration(at + ".requiredSoakTime", s.getRequiredSoakTime());
    p.positiveDuration(at + ".timeout", s.getTimeout());
    p.positiveDuration(at + ".maxWait", s.getMaxWait());
    WaveRules.check(p, at + ".waves", s.getWaves());
    if (s.getMaxParallel() != null && s.getMaxParallel() < 1) {
      p.add(at + ".maxParallel", "must be at least 1 (leave it unset for no limit)");
    }
    maxUnavailable(p, at + ".maxUnavailable", s.getMaxUnavailable());
    GateRules.check(p, at + ".gates", s.getGates());
  }

  private static void maxUnavailable(Problems p, String path, IntOrString v) {
    if (v == null) {
      return;
    }
    if (v.getIntVal() != null) {
      if (v.getIntVal() < 0) {
        p.add(path, "must be 0 or more");
      }
    } else if (v.getStrVal() == null || !v.getStrVal().matches("^([0-9]|[1-9][0-9]|100)%$")) {
      p.add(
          path,
          "\"" + v.getStrVal() + "\" is neither a count nor a percentage: write e.g. 1 or 10%");
    }
  }

  private static void dependencies(
      Problems p, String sp, List<Stage> stages, Map<String, Integer> index) {
    Map<String, List<String>> edges =
        new LinkedHashMap<>(); // plan order: a cycle is reported from its first stage
    for (int i = 0; i < stages.size(); i++) {
      Stage s = stages.get(i);
      if (s == null
          || s.getName() == null
          || s.getDependsOn() == null
          || index.get(s.getName()) != i) {
        continue;
      }
      Set<String> seen = new HashSet<>();
      List<String> valid = new ArrayList<>();
      for (int j = 0; j < s.getDependsOn().size(); j++) {
        String at = sp + "[" + i + "].dependsOn[" + j + "]";
        String dep = s.getDependsOn().get(j);
        if (dep == null || dep.isBlank()) {
          p.add(at, "is empty; name a stage of this plan");
        } else if (dep.equals(s.getName())) {
          p.add(at, "stage \"" + dep + "\" depends on itself; remove it from dependsOn");
        } else if (!index.containsKey(dep)) {
          p.add(at, "unknown stage \"" + dep + "\"; name one of " + index.keySet());
        } else if (!seen.add(dep)) {
          p.add(at, "lists \"" + dep + "\" twice; remove the duplicate");
        } else {
          valid.add(dep);
        }
      }
      edges.put(s.getName(), valid);
    }
    new CycleFinder(edges)
        .cycles()
        .forEach(
            cycle -> {
              String first = cycle.get(0);
              p.add(
                  sp + "[" + index.get(first) + "].dependsOn",
                  "dependency cycle "
                      + String.join(" -> ", cycle)
                      + "; remove one of these dependsOn entries");
            });
  }
}
