package io.memtrace.collector.redis;

/**
 * Which keys a snapshot takes and how hard it may work Redis: {@link #ALL} for the {@code snapshot} command (every key,
 * as fast as Redis answers), a bounded scope for the scheduled snapshots of {@code serve --watch-redis}.
 */
public interface SnapshotScope {

  /** Every key, no ceiling, no pause. */
  SnapshotScope ALL = new SnapshotScope() {
    @Override
    public boolean wanted(byte[] key) {
      return true;
    }

    @Override
    public void pace(int commands) {
    }

    @Override
    public long maxKeys() {
      return Long.MAX_VALUE;
    }

    @Override
    public long maxElements() {
      return Long.MAX_VALUE;
    }
  };

  /** Whether the key belongs in the snapshot (its namespace is one asked for). */
  boolean wanted(byte[] key);

  /** Called before {@code commands} more commands are sent; waits as long as the ceiling on commands asks. */
  void pace(int commands) throws InterruptedException;

  /** The most keys one snapshot holds; the keys after them are skipped and counted. */
  long maxKeys();

  /**
   * The most elements of a hash, list, set, sorted set or stream read for one key: reading a larger one holds Redis
   * up for as long as it takes, so such a key is skipped and named instead.
   */
  long maxElements();
}
