package io.kapro.agent.config;

import java.nio.file.Path;

/** How the agent authenticates to its registry. */
public sealed interface RegistryCredentials {

  /** No credentials: anonymous pulls. */
  record Anonymous() implements RegistryCredentials {}

  /**
   * HTTP basic credentials.
   *
   * @param username user name
   * @param password password or token (never logged)
   */
  record Basic(String username, String password) implements RegistryCredentials {
    @Override
    public String toString() {
      return "Basic[username=" + username + ", password=***]";
    }
  }

  /**
   * A Docker {@code config.json} file ({@code auths}), as mounted from a {@code
   * kubernetes.io/dockerconfigjson} Secret; read by the pull code on every use so rotation works.
   *
   * @param file absolute path of the file
   */
  record DockerConfigFile(Path file) implements RegistryCredentials {}
}
