package io.kapro.agent.config;

import io.kapro.agent.config.ConfigPaths.Expect;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the registry credentials: none, username with password (inline or file), or a file. */
final class CredentialsReader {
  private CredentialsReader() {}

  /** Returns the credentials, or null after recording a problem. */
  static RegistryCredentials read(ConfigNode registry) {
    ConfigNode user = registry.child("username");
    ConfigNode password = registry.child("password");
    ConfigNode passwordFile = registry.child("passwordFile");
    ConfigNode credentialsFile = registry.child("credentialsFile");
    String fix =
        "give either username with password (or passwordFile, or env"
            + " KAPRO_AGENT_REGISTRY_PASSWORD), or credentialsFile, or none for anonymous pulls";
    if (credentialsFile.present()) {
      if (user.present() || password.present() || passwordFile.present()) {
        credentialsFile.problem("is set together with username/password", fix);
        return null;
      }
      return ConfigPaths.path(credentialsFile, true, Expect.FILE, fix)
          .map(p -> (RegistryCredentials) new RegistryCredentials.DockerConfigFile(p))
          .orElse(null);
    }
    if (!user.present()) {
      if (password.present() || passwordFile.present()) {
        registry.child("username").problem("is required when a password is given", fix);
        return null;
      }
      return new RegistryCredentials.Anonymous();
    }
    Optional<String> name = user.text(true, fix);
    if (password.present() == passwordFile.present()) {
      password.problem(
          password.present()
              ? "is set together with passwordFile"
              : "is required with username (or passwordFile)",
          fix);
      return null;
    }
    Optional<String> secret;
    if (password.present()) {
      secret = password.text(true, fix);
    } else {
      Optional<Path> file = ConfigPaths.path(passwordFile, true, Expect.FILE, fix);
      String content = file.map(f -> ConfigPaths.readSmallFile(passwordFile, f, fix)).orElse(null);
      secret = Optional.ofNullable(content).map(String::strip).filter(s -> !s.isEmpty());
      if (content != null && secret.isEmpty()) {
        passwordFile.problem("file is empty", fix);
      }
    }
    if (name.isEmpty() || secret.isEmpty()) {
      return null;
    }
    return new RegistryCredentials.Basic(name.get(), secret.get());
  }
}
