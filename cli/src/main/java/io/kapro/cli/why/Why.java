package io.kapro.cli.why;

import java.util.List;

/**
 * The answer of {@code kapro why} for one cluster in one run (also its JSON shape).
 *
 * @param cluster cluster name
 * @param run the run, or null when the cluster is in none
 * @param target the Target, or null
 * @param stage its stage
 * @param phase the Target's phase
 * @param since since when
 * @param proven versions proven on the cluster by evidence
 * @param desired versions the run wants
 * @param summary one sentence
 * @param reasons what holds it (gates, dependencies, agent, evidence), most important first
 * @param hints what would release it (commands to run)
 */
public record Why(
    String cluster,
    String run,
    String target,
    String stage,
    String phase,
    String since,
    String proven,
    String desired,
    String summary,
    List<String> reasons,
    List<String> hints) {}
