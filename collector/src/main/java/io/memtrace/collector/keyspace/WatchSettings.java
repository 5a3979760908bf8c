package io.memtrace.collector.keyspace;

import io.memtrace.collector.CollectorException;

/**
 * How hard a watcher works a Redis, declared once with its defaults (the {@code serve} and
 * {@code watch} options read these). The defaults come from the 1M-key benchmark
 * ({@code KeyspaceBenchmark}, docs/memory-state.md). A pass over 1M keys in 20 namespaces sends about
 * 90,000 commands, and Redis spent 2.0 to 2.6 s of CPU on it on this 2-core machine, most of it in SCAN
 * (1.6 to 2 us a key): Redis's share is that over the pass's length, so the ceiling sets both. 1,800 a
 * second makes a pass under a minute at under 5 % of a core. Smaller units (COUNT 10, one key's probes
 * per pipeline) shorten the wait of a client's command behind the watcher, but took 115,000 round trips
 * a pass and 5.6 s of Redis's CPU (10.9 %) in the benchmark, so they are not the default for counting.
 *
 * <p>Counting every key costs Redis about 1.5 to 2 us a key in SCAN whatever the unit, so above
 * {@link #DEFAULT_SAMPLE_ABOVE} keys a database is sampled instead: 120,000 keys from SCANs at random
 * cursors put a namespace of 5 % of the keys within about 5 % (four standard errors) on its keys, and on
 * its bytes within 5 to 7.3 % in the benchmark (about half that at 95 %); the sampled pass over 1M keys
 * cost Redis under a third of the CPU of counting (0.52 to 0.55 against 1.72 s). At 250,000 keys counting costs Redis
 * about what the sample does, so below that counting is exact at no more cost.
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
 * @param mode              whether a database is read whole, sampled, or sampled above {@code sampleAbove} keys
 * @param sampleAbove       under {@link WatchMode#AUTO}, the most keys (per database, by INFO keyspace) that a
 *                          pass still counts one by one; a larger database is sampled
 * @param sampleScanKeys    in a sampled database, how many keys the SCANs at random cursors return in all: the
 *                          sample the namespaces' shares of keys come from
 */
public record WatchSettings(long intervalMillis, int commandsPerSecond, int scanCount, int exactKeys, int sampleKeys,
    int pipelineKeys, WatchMode mode, long sampleAbove, int sampleScanKeys) {

  public static final String DEFAULT_INTERVAL = "60s";
  public static final int DEFAULT_COMMANDS_PER_SECOND = 1_800;
  public static final int DEFAULT_SCAN_COUNT = 100;
  public static final int DEFAULT_EXACT_KEYS = 500;
  public static final int DEFAULT_SAMPLE_KEYS = 10_000;
  public static final int DEFAULT_PIPELINE_KEYS = 8;
  public static final WatchMode DEFAULT_MODE = WatchMode.AUTO;
  public static final long DEFAULT_SAMPLE_ABOVE = 250_000;
  public static final int DEFAULT_SAMPLE_SCAN_KEYS = 120_000;
  /**
   * The COUNT of a sampled pass's SCANs and its keys per probe pipeline: short units (about 20 and 12 us
   * of Redis's time), since a sampled pass has few of them, so their round trips cost little.
   */
  static final int SAMPLE_SCAN_COUNT = 10;
  static final int SAMPLE_PIPELINE_KEYS = 2;
  /** A command slower than this counts as Redis gone. */
  static final int TIMEOUT_MILLIS = 5_000;

  public WatchSettings {
    if (intervalMillis < 100) {
      throw new CollectorException("the watch interval (watch --interval, serve --watch-interval) must be at least 100ms");
    }
    if (commandsPerSecond < 10) {
      throw new CollectorException("the command ceiling (watch --commands-per-second, serve --watch-commands-per-second)"
          + " must be at least 10 commands per second");
    }
    if (scanCount < 1 || exactKeys < 0 || sampleKeys < 0 || pipelineKeys < 1) {
      throw new CollectorException("scan count, exact keys, sample keys and pipeline keys must be positive");
    }
    if (mode == null || sampleAbove < 0 || sampleScanKeys < 100) {
      throw new CollectorException("the sample bound must be positive and a sample at least 100 keys");
    }
  }

  /** Counts every key of every database, as before sampling existed. */
  public WatchSettings(long intervalMillis, int commandsPerSecond, int scanCount, int exactKeys, int sampleKeys,
      int pipelineKeys) {
    this(intervalMillis, commandsPerSecond, scanCount, exactKeys, sampleKeys, pipelineKeys, WatchMode.FULL,
        DEFAULT_SAMPLE_ABOVE, DEFAULT_SAMPLE_SCAN_KEYS);
  }

  /** These settings with another mode, bound and sample size. */
  public WatchSettings sampling(WatchMode mode, long sampleAbove, int sampleScanKeys) {
    return new WatchSettings(intervalMillis, commandsPerSecond, scanCount, exactKeys, sampleKeys, pipelineKeys, mode,
        sampleAbove, sampleScanKeys);
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
        DEFAULT_SAMPLE_KEYS, DEFAULT_PIPELINE_KEYS, DEFAULT_MODE, DEFAULT_SAMPLE_ABOVE, DEFAULT_SAMPLE_SCAN_KEYS);
  }
}
