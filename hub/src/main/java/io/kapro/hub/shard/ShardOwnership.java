package io.kapro.hub.shard;

import java.util.function.IntConsumer;

/** Which shards of the hub's work this replica may act on now. */
public interface ShardOwnership {
  /** How many shards the work is split into. */
  int shards();

  /** Whether this replica owns {@code shard} now. */
  boolean owns(int shard);

  /** Called with a shard each time this replica takes it (at start-up and on takeover). */
  void onAcquired(IntConsumer listener);

  /** One replica, every shard, always (no sharding). */
  ShardOwnership ALL =
      new ShardOwnership() {
        @Override
        public int shards() {
          return 1;
        }

        @Override
        public boolean owns(int shard) {
          return true;
        }

        @Override
        public void onAcquired(IntConsumer listener) {}
      };
}
