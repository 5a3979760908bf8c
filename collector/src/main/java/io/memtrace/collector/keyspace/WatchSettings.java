package io.memtrace.collector.keyspace;

import io.memtrace.collector.CollectorException;

/**
 * How hard a watcher works a Redis, declared once with its defaults (the {@code serve} and
 * {@code watch} options read these). The defaults come from the 1M-key benchmark
 * ({@code KeyspaceBenchmark}, README "Memory state"): a pass over 1M keys in 20 namespaces sends
 * about 168,000 commands and cost Redis about 13 us of CPU each on this 2-core machine; at 5,000 a
 * second that was 6 % of a core, so the ceiling is 3,500 (under 5 %), and the pass takes under a minute.
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
  public static final int DEFAULT_COMMANDS_PER_SECOND = 3_500;
  public static final int DEFAULT_SCAN_COUNT = 100;
  public static final int DEFAULT_EXACT_KEYS = 1_000;
  public static final int DEFAULT_SAMPLE_KEYS = 20_000;
  public static final int DEFAULT_PIPELINE_KEYS = 4;
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
