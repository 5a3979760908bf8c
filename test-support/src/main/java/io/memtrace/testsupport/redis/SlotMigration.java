package io.memtrace.testsupport.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A slot of a {@link RedisCluster} half-way between two masters ({@link RedisCluster#beginMigration}): {@code to}
 * imports it, {@code from} migrates it, and a command on a key of the slot no longer on {@code from} gets
 * {@code -ASK} there until {@link #finish}.
 */
public final class SlotMigration {

  public final int slot;
  public final RedisProcess from;
  public final RedisProcess to;
  private final RedisCluster cluster;

  /** MIGRATEs up to {@code max} of the slot's keys still on {@code from}; how many it moved. */
  public int moveKeys(int max) throws IOException {
    int moved = 0;
    while (moved < max) {
      List<?> keys = (List<?>) RedisCluster.ok(from, "CLUSTER", "GETKEYSINSLOT", String.valueOf(slot),
          String.valueOf(Math.min(100, max - moved)));
      if (keys.isEmpty()) {
        break;
      }
      List<String> migrate = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", String.valueOf(to.port), "", "0",
          "5000", "KEYS"));
      keys.forEach(k -> migrate.add((String) k));
      RedisCluster.ok(from, migrate.toArray(new String[0]));
      moved += keys.size();
    }
    return moved;
  }

  /** Moves the keys left, then gives the slot to {@code to} on both sides and tells the other masters. */
  public void finish() throws IOException {
    moveKeys(Integer.MAX_VALUE);
    RedisCluster.ok(to, "CLUSTER", "SETSLOT", String.valueOf(slot), "NODE", cluster.id(to));
    RedisCluster.ok(from, "CLUSTER", "SETSLOT", String.valueOf(slot), "NODE", cluster.id(to));
    for (RedisProcess master : cluster.masters()) {
      if (master != from && master != to) {
        RedisCluster.ok(master, "CLUSTER", "SETSLOT", String.valueOf(slot), "NODE", cluster.id(to));
      }
    }
    RedisCluster.await("every node sees slot " + slot + " on " + to,
        () -> cluster.all(node -> RedisCluster.portServing(node, slot) == to.port));
  }

  SlotMigration(RedisCluster cluster, int slot, RedisProcess from, RedisProcess to) {
    this.cluster = cluster;
    this.slot = slot;
    this.from = from;
    this.to = to;
  }
}
