package io.kapro.agent.bundle;

import java.util.Optional;

/**
 * Where the high-water mark survives restarts: the state directory ({@link FileHighWaterMarkStore})
 * and a local Secret ({@link SecretHighWaterMarkStore}); {@link MirroredHighWaterMarkStore} keeps
 * both and trusts the higher.
 */
public interface HighWaterMarkStore {

  /** The stored mark, empty when none was ever saved. */
  Optional<HighWaterMark> load();

  /** Replaces the stored mark; durable when it returns. */
  void save(HighWaterMark mark);

  /** Where, for messages. */
  String describe();
}
