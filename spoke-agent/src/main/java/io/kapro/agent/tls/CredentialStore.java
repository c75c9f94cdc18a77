package io.kapro.agent.tls;

import java.util.Optional;

/**
 * Where the agent keeps its key and certificate between restarts: the state directory ({@link
 * FileCredentialStore}) and a Secret ({@link SecretCredentialStore}).
 */
public interface CredentialStore {

  /** The stored credentials, if any; malformed ones are an error naming the store. */
  Optional<AgentCredentials> load();

  /** Replaces the stored credentials; durable when it returns. */
  void save(AgentCredentials credentials);

  /** Where this store is, for messages. */
  String describe();
}
