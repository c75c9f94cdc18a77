package io.kapro.cli;

import io.kapro.oci.store.RegistryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How a command reaches registries: plain HTTP allowed or not, a CA, basic credentials. */
public final class RegistryOptions {
  @Option(names = "--insecure", description = "Allow plain-HTTP registries.")
  public boolean insecure;

  @Option(names = "--ca-file", paramLabel = "FILE", description = "CA for the registries' TLS.")
  public Path caFile;

  @Option(
      names = "--username",
      paramLabel = "USER",
      description = "Registry user; the password is read from $KAPRO_REGISTRY_PASSWORD.")
  public String username;

  /** Checks the flags before anything is contacted. */
  public void validate() {
    if (caFile != null && !Files.isRegularFile(caFile)) {
      throw CliException.usage("--ca-file " + caFile + ": no such file", "check the path");
    }
  }

  /** None without --username; basic with the password from the environment. */
  public RegistryConfig.Credentials credentials() {
    if (username == null) {
      return new RegistryConfig.Credentials.None();
    }
    String password = System.getenv("KAPRO_REGISTRY_PASSWORD");
    if (password == null) {
      throw CliException.usage(
          "--username given but KAPRO_REGISTRY_PASSWORD is not set",
          "export KAPRO_REGISTRY_PASSWORD with the registry password");
    }
    return new RegistryConfig.Credentials.Basic(username, password);
  }
}
