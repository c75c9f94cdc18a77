package io.kapro.agent.config;

/**
 * One thing wrong with the agent's configuration.
 *
 * @param path where: a dotted path in the YAML file ({@code allow[2].fields[0]}) or an environment
 *     variable ({@code env KAPRO_AGENT_POLL_INTERVAL})
 * @param problem what is wrong
 * @param fix what to do about it
 */
public record ConfigProblem(String path, String problem, String fix) {
  @Override
  public String toString() {
    return path + ": " + problem + " (fix: " + fix + ")";
  }
}
