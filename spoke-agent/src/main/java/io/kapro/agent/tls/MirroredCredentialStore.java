package io.kapro.agent.tls;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the same credentials in several stores (state directory and Secret): saves to all, loads
 * the one that is valid longest, so either copy can restore the other.
 */
public final class MirroredCredentialStore implements CredentialStore {
  private static final Logger LOG = LoggerFactory.getLogger(MirroredCredentialStore.class);
  private final List<CredentialStore> stores;

  public MirroredCredentialStore(List<CredentialStore> stores) {
    if (stores.isEmpty()) {
      throw new IllegalArgumentException("at least one credential store");
    }
    this.stores = List.copyOf(stores);
  }

  @Override
  public Optional<AgentCredentials> load() {
    TlsException firstFailure = null;
    Optional<AgentCredentials> best = Optional.empty();
    for (CredentialStore store : stores) {
      try {
        Optional<AgentCredentials> c = store.load();
        if (c.isPresent()
            && (best.isEmpty() || c.get().notAfter().isAfter(best.get().notAfter()))) {
          best = c;
        }
      } catch (TlsException e) {
        LOG.warn("ignoring credentials in {}: {}", store.describe(), e.getMessage());
        firstFailure = firstFailure == null ? e : firstFailure;
      }
    }
    if (best.isEmpty() && firstFailure != null) {
      throw firstFailure;
    }
    return best;
  }

  @Override
  public void save(AgentCredentials credentials) {
    for (CredentialStore store : stores) {
      store.save(credentials);
    }
  }

  @Override
  public String describe() {
    return stores.stream().map(CredentialStore::describe).collect(Collectors.joining(" and "));
  }
}
