package io.memtrace.bench.overhead;

import java.util.Locale;

/** The client the harness's workload runs through ({@code --client}), and how its table describes it. */
enum Workload {

  JEDIS(JedisLoad.class, "load", "Workload: Jedis 5.2.0 `SET`/`GET` loop on a loopback Redis, 100-byte values, "
      + "one connection per thread; each command is one span"),
  LETTUCE(LettuceLoad.class, "lettuce", "Workload: Lettuce 6.6.0 sync API `SET`/`GET` loop on a loopback Redis, "
      + "100-byte values, one `StatefulRedisConnection` shared by all threads; each command is one span");

  /** The workload JVM's main class. */
  final String mainClass;
  /** What the fork logs of a load run start with. */
  final String logPrefix;
  /** The table's sentence about the workload. */
  final String description;

  Workload(Class<?> mainClass, String logPrefix, String description) {
    this.mainClass = mainClass.getName();
    this.logPrefix = logPrefix;
    this.description = description;
  }

  /** The option's value: {@code jedis} or {@code lettuce}. */
  String option() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Workload of(String option) {
    for (Workload w : values()) {
      if (w.option().equals(option)) {
        return w;
      }
    }
    throw new IllegalArgumentException("--client must be jedis or lettuce, not '" + option + "'");
  }
}
