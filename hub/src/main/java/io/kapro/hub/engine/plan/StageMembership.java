package io.kapro.hub.engine.plan;

import io.kapro.api.validation.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which clusters each stage selects (sorted by name), and the overlap problems: a cluster matched
 * by two stages is an invalid spec unless the plan sets {@code allowOverlap}.
 */
public record StageMembership(Map<String, List<String>> clustersByStage, List<Violation> problems) {

  /** Matches {@code labelsByCluster} (cluster name → labels) against every stage's selector. */
  public static StageMembership of(
      CompiledPlan plan, Map<String, Map<String, String>> labelsByCluster) {
    Map<String, List<String>> byStage = new LinkedHashMap<>();
    Map<String, String> firstStage = new TreeMap<>();
    Map<String, List<String>> overlaps = new LinkedHashMap<>();
    List<String> names = new ArrayList<>(labelsByCluster.keySet());
    names.sort(null);
    for (StagePlan stage : plan.stages()) {
      List<String> members = new ArrayList<>();
      for (String cluster : names) {
        if (stage.selector().matches(labelsByCluster.get(cluster))) {
          members.add(cluster);
          String other = firstStage.putIfAbsent(cluster, stage.name());
          if (other != null && !plan.allowOverlap()) {
            overlaps
                .computeIfAbsent(stage.field() + ".selector|" + other, k -> new ArrayList<>())
                .add(cluster);
          }
        }
      }
      byStage.put(stage.name(), List.copyOf(members));
    }
    List<Violation> problems = new ArrayList<>();
    overlaps.forEach(
        (key, clusters) -> {
          String[] parts = key.split("\\|", 2);
          problems.add(
              new Violation(
                  parts[0],
                  clusters.size()
                      + " cluster(s) also matched by stage \""
                      + parts[1]
                      + "\" ("
                      + String.join(", ", clusters.subList(0, Math.min(5, clusters.size())))
                      + (clusters.size() > 5 ? ", …" : "")
                      + "); narrow the selectors or set spec.allowOverlap: true"));
        });
    return new StageMembership(byStage, problems);
  }

  public List<String> clusters(String stage) {
    return clustersByStage.getOrDefault(stage, List.of());
  }
}
