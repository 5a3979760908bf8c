package io.memtrace.collector.truth;

import io.memtrace.collector.truth.Step.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded scenarios: a short life of two keys ({@code t<seed>:a}, {@code t<seed>:b}) in two databases, changed by the
 * traced service, by an untraced client, by TTLs that run out and by evictions, and read by the traced service. The
 * same seed gives the same steps. {@code common} draws SET/GET/DEL/PEXPIRE from both clients, pauses and memory
 * pressure; {@code all} adds writes by the Node service, UNLINK, GETDEL, RENAME, COPY, MOVE, SWAPDB, FLUSHDB,
 * pipelines, MULTI/EXEC, EVAL and FCALL. Each written value is unique, so a read's reply names the write it saw.
 */
final class ScenarioGenerator {

  record Scenario(long seed, List<String> keys, List<Step> steps) {
  }

  private ScenarioGenerator() {
  }

  static Scenario generate(long seed, boolean all) {
    Random random = new Random(seed);
    List<String> keys = List.of("t" + seed + ":a", "t" + seed + ":b");
    List<Step> steps = new ArrayList<>();
    int n = 6 + random.nextInt(7);
    for (int i = 0; i < n; i++) {
      String key = keys.get(random.nextInt(keys.size()));
      String value = "v" + seed + "." + i + "-" + "x".repeat(random.nextInt(12));
      int db = all && random.nextInt(5) == 0 ? 1 : 0;
      int roll = random.nextInt(all ? 130 : 100);
      steps.add(roll < 34 ? Step.traced(db, "GET", key)
          : roll < 50 ? Step.traced(db, set(random, key, value))
          : roll < 56 ? Step.traced(db, "DEL", key)
          : roll < 61 ? Step.traced(db, "PEXPIRE", key, ttl(random))
          : roll < 71 ? Step.outside(db, set(random, key, value))
          : roll < 76 ? Step.outside(db, "DEL", key)
          : roll < 80 ? Step.outside(db, "PEXPIRE", key, ttl(random))
          : roll < 96 ? Step.pause(30 + random.nextInt(170))
          : roll < 100 ? Step.evict()
          : wide(random, roll - 100, keys, key, value, db));
      // the second traced service writes a third of the traced single-key changes
      Step last = steps.get(steps.size() - 1);
      if (all && last.actor() == Step.Actor.TRACED && !last.read() && last.batch() == Batch.ONE
          && List.of("SET", "DEL", "PEXPIRE").contains(last.commands().get(0).get(0)) && random.nextInt(3) == 0) {
        steps.set(steps.size() - 1, last.byNode());
      }
    }
    steps.add(Step.traced(0, "GET", keys.get(random.nextInt(keys.size()))));
    return new Scenario(seed, keys, steps);
  }

  /** The commands past the common subset: each moves, copies, removes or writes a key another way. */
  private static Step wide(Random random, int roll, List<String> keys, String key, String value, int db) {
    String other = keys.get(0).equals(key) ? keys.get(1) : keys.get(0);
    boolean traced = random.nextInt(3) > 0;
    return switch (roll / 2) {
      case 0 -> traced ? Step.traced(db, "UNLINK", key) : Step.outside(db, "UNLINK", key);
      case 1 -> Step.traced(db, "GETDEL", key);
      case 2 -> traced ? Step.traced(db, "RENAME", key, other) : Step.outside(db, "RENAME", key, other);
      case 3 -> Step.traced(db, "COPY", key, other, "REPLACE");
      case 4 -> traced ? Step.traced(db, "MOVE", key, "@" + (1 - db)) : Step.outside(db, "MOVE", key, "@" + (1 - db));
      case 5 -> traced ? Step.traced(db, "SWAPDB", "@0", "@1") : Step.outside(db, "SWAPDB", "@0", "@1");
      case 6 -> random.nextInt(3) > 0 ? Step.traced(db, "PERSIST", key) : traced ? Step.traced(db, "FLUSHDB")
          : Step.outside(db, "FLUSHDB");
      case 7 -> Step.batch(Batch.PIPE, db, List.of(List.of(set(random, key, value)),
          List.of(set(random, other, value + "p"))));
      case 8 -> Step.batch(Batch.MULTI, db, List.of(List.of(set(random, key, value)), List.of("PEXPIRE", other,
          ttl(random))));
      case 9 -> Step.batch(Batch.MULTI, db, List.of(List.of("DEL", key), List.of(set(random, other, value))));
      case 10 -> Step.traced(db, "EVAL", "return redis.call('SET', KEYS[1], ARGV[1])", "1", key, value);
      case 11 -> Step.traced(db, "FCALL", "truth_set", "1", key, value);
      case 12 -> Step.traced(db, "COPY", key, other, "DB", "@" + (1 - db), "REPLACE");
      case 13 -> Step.traced(1 - db, "GET", key);
      default -> Step.traced(db, "SETEX", key, "1", value);
    };
  }

  private static String[] set(Random random, String key, String value) {
    return random.nextInt(10) < 4 ? new String[] {"SET", key, value, "PX", ttl(random)}
        : new String[] {"SET", key, value};
  }

  private static String ttl(Random random) {
    return String.valueOf(30 + random.nextInt(150));
  }
}
