package io.memtrace.collector.keyspace;

import io.memtrace.collector.CollectorException;

/**
 * How hard a watcher works a Redis, declared once with its defaults (the {@code serve} and
 * {@code watch} options read these). The defaults come from the 1M-key benchmark
 * ({@code KeyspaceBenchmark}, README "Memory state"). On this 2-core machine a watcher command cost
 * Redis 13 to 20 us of CPU, so Redis's share is about the ceiling times that: 2,500 a second keeps it
 * under 5 % of a core. At 1,000 census and about 20,000 sampled keys per database a 1M-key pass sent
 * 168,000 commands (70 s at that rate); 500 and 10,000 halve that, with the largest error of bytes
 * per namespace still under 5 %.
 *
 * @param intervalMillis    time between the starts of passes; a pass still running then goes on
 *                          and its figures so far are written with {@code complete=false}
 * @param commandsPerSecond the ceiling on commands sent to one Redis, SCAN and probes alike
 * @param scanCount         the COUNT hint of each SCAN: small, since one SCAN blocks Redis while it runs
 * @param exactKeys         per namespace and database, the first keys SCAN returns that are all
 *                          measured; a namespace with no more keys than this is exact
 * @param sampleKeys        per database and pass, about how many keys beyond those are measured,
 *                          each with the same probability
 * @param pipelineKeys      keys measured per pipeline (four commands each): Redis runs a pipeline in one go,
 *                          so this bounds how long the watcher holds up other clients at once
 */
public record WatchSettings(long intervalMillis, int commandsPerSecond, int scanCount, int exactKeys, int sampleKeys,
    int pipelineKeys) {

  public static final String DEFAULT_INTERVAL = "60s";
  public static final int DEFAULT_COMMANDS_PER_SECOND = 2_500;
  public static final int DEFAULT_SCAN_COUNT = 100;
  public static final int DEFAULT_EXACT_KEYS = 500;
  public static final int DEFAULT_SAMPLE_KEYS = 10_000;
  public static final int DEFAULT_PIPELINE_KEYS = 8;
  /** A command slower than this counts as Redis gone. */
  static final int TIMEOUT_MILLIS = 5_000;

  public WatchSettings {
    if (intervalMillis < 100) {
      throw new CollectorException("the watch interval must be at least 100ms");
    }
    if (commandsPerSecond < 10) {
      throw new CollectorException("the command ceiling must be at least 10 commands per second");
    }
    if (scanCount < 1 || exactKeys < 0 || sampleKeys < 0 || pipelineKeys < 1) {
      throw new CollectorException("scan count, exact keys, sample keys and pipeline keys must be positive");
    }
  }

  public static WatchSettings defaults(long intervalMillis, int commandsPerSecond) {
    return new WatchSettings(intervalMillis, commandsPerSecond, DEFAULT_SCAN_COUNT, DEFAULT_EXACT_KEYS,
        DEFAULT_SAMPLE_KEYS, DEFAULT_PIPELINE_KEYS);
  }
}
