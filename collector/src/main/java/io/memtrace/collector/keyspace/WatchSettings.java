package io.memtrace.collector.keyspace;

import io.memtrace.collector.CollectorException;

/**
 * How hard a watcher works a Redis, declared once with its defaults (the {@code serve} and
 * {@code watch} options read these). The defaults come from the 1M-key benchmark
 * ({@code KeyspaceBenchmark}, README "Memory state"). Redis runs one command, or one pipeline read in one
 * go, at a time, so a client's GET that arrives meanwhile waits for it: the watcher's cost to others is
 * the share of time Redis spends on it (how many GETs wait) times the length of one such unit (how long
 * they wait). The share is set by the keyspace and the pass's length: SCAN costs Redis about 1.6 us a key
 * on this 2-core machine, so counting 1M keys within a minute keeps it busy about 3 % of the time, and a
 * GET p99 can only hold if each unit is short next to the GET's own latency (about 27 us median). With
 * {@code COUNT 100} (a 155 us SCAN) the p99 of a GET loop rose from 49 to 154 us, as predicted by 3 %
 * of GETs waiting up to 155 us; {@code COUNT 10} (about 19 us) and one key's probes per pipeline (about
 * 6 us) keep every unit below a median GET. That takes about 180,000 commands a pass over 1M keys, so the
 * ceiling is 3,600 a second: a pass under a minute.
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
  public static final int DEFAULT_COMMANDS_PER_SECOND = 3_600;
  public static final int DEFAULT_SCAN_COUNT = 10;
  public static final int DEFAULT_EXACT_KEYS = 500;
  public static final int DEFAULT_SAMPLE_KEYS = 10_000;
  public static final int DEFAULT_PIPELINE_KEYS = 1;
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

  /**
   * The commands the {@link CommandBudget} may save up while the watcher waits: 5 ms of the ceiling, at
   * least one pipeline. A wait lasts a millisecond or more (sleeps are that coarse, and later on a busy
   * machine), so a bucket of one small pipeline would hold the watcher to one SCAN or pipeline per
   * wake-up, far below its ceiling. What a burst holds are separate round trips, so another client's
   * command waits for one of them at most, never for the burst.
   */
  int burstCommands() {
    return Math.max(pipelineKeys * 4, commandsPerSecond / 200);
  }

  public static WatchSettings defaults(long intervalMillis, int commandsPerSecond) {
    return new WatchSettings(intervalMillis, commandsPerSecond, DEFAULT_SCAN_COUNT, DEFAULT_EXACT_KEYS,
        DEFAULT_SAMPLE_KEYS, DEFAULT_PIPELINE_KEYS);
  }
}
