package io.kapro.agent.bundle;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the high-water mark in several stores: saves to every one, loads the highest, so losing one
 * copy (a wiped state directory, a deleted Secret) never lowers the mark. A store that cannot be
 * read is skipped with a warning as long as another one answers.
 */
public final class MirroredHighWaterMarkStore implements HighWaterMarkStore {
  private static final Logger LOG = LoggerFactory.getLogger(MirroredHighWaterMarkStore.class);
  private final List<HighWaterMarkStore> stores;

  public MirroredHighWaterMarkStore(List<HighWaterMarkStore> stores) {
    if (stores.isEmpty()) {
      throw new IllegalArgumentException("at least one high-water mark store");
    }
    this.stores = List.copyOf(stores);
  }

  @Override
  public Optional<HighWaterMark> load() {
    Optional<HighWaterMark> best = Optional.empty();
    BundleStateException failure = null;
    int answered = 0;
    for (HighWaterMarkStore s : stores) {
      try {
        Optional<HighWaterMark> m = s.load();
        answered++;
        if (m.isPresent() && (best.isEmpty() || m.get().sequence() > best.get().sequence())) {
          best = m;
        }
      } catch (BundleStateException e) {
        LOG.warn("ignoring the high-water mark in {}: {}", s.describe(), e.getMessage());
        failure = failure == null ? e : failure;
      }
    }
    if (answered == 0) {
      throw failure;
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
