package io.kapro.agent.bundle;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Keeps the high-water mark in several stores: saves to every one, loads the highest, so losing one
 * copy (a wiped state directory, a restored old file) never lowers the mark. A store that cannot be
 * read fails the load (fail closed): a copy that answers "nothing" while another cannot be read
 * says nothing about the mark, and taking it would accept any older bundle.
 */
public final class MirroredHighWaterMarkStore implements HighWaterMarkStore {
  private final List<HighWaterMarkStore> stores;

  public MirroredHighWaterMarkStore(List<HighWaterMarkStore> stores) {
    if (stores.isEmpty()) {
      throw new IllegalArgumentException("at least one high-water mark store");
    }
    this.stores = List.copyOf(stores);
  }

  /**
   * The highest mark of all stores.
   *
   * @throws BundleStateException when any store cannot be read, naming it
   */
  @Override
  public Optional<HighWaterMark> load() {
    Optional<HighWaterMark> best = Optional.empty();
    for (HighWaterMarkStore s : stores) {
      Optional<HighWaterMark> m = s.load();
      if (m.isPresent() && (best.isEmpty() || m.get().sequence() > best.get().sequence())) {
        best = m;
      }
    }
    return best;
  }

  @Override
  public void save(HighWaterMark mark) {
    for (HighWaterMarkStore s : stores) {
      s.save(mark);
    }
  }

  @Override
  public String describe() {
    return stores.stream().map(HighWaterMarkStore::describe).collect(Collectors.joining(" and "));
  }
}
