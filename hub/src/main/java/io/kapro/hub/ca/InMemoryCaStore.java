package io.kapro.hub.ca;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link CaStore} in memory, for tests and single-process demos. */
public final class InMemoryCaStore implements CaStore {
  private final AtomicReference<CaMaterial> stored = new AtomicReference<>();

  @Override
  public Optional<CaMaterial> load() {
    return Optional.ofNullable(stored.get());
  }

  @Override
  public CaMaterial saveIfAbsent(CaMaterial candidate) {
    stored.compareAndSet(null, candidate);
    return stored.get();
  }
}
