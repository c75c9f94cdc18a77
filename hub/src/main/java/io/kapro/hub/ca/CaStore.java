package io.kapro.hub.ca;

import java.util.Optional;

/**
 * Where the hub CA lives. Every hub replica must end up with the same CA, so creation is "create if
 * absent": the first writer wins and everyone else loads the winner.
 */
public interface CaStore {

  /** The stored CA, if any. */
  Optional<CaMaterial> load();

  /**
   * Stores {@code candidate} unless a CA is already stored; returns what is stored afterwards (the
   * candidate, or the CA another replica stored first).
   */
  CaMaterial saveIfAbsent(CaMaterial candidate);
}
