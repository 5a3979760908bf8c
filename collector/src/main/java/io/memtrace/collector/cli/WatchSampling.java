package io.memtrace.collector.cli;

import io.memtrace.collector.keyspace.WatchMode;
import io.memtrace.collector.keyspace.WatchSettings;
import picocli.CommandLine.Option;

/** How the keyspace watcher reads a database, for {@code watch} and {@code serve} alike. */
final class WatchSampling {

  @Option(names = "--watch-mode", paramLabel = "full|sampled|auto", defaultValue = "auto",
      description = "full: count every key of every database (exact; Redis spends about 2 us a key in SCAN, and a "
          + "pass over 1M keys keeps it busy about 3 %% of the time); sampled: estimate a database larger than the "
          + "sample from SCANs at random cursors, with an error bound; auto (default): count databases of up to "
          + "--watch-sample-above keys, sample larger ones.")
  String mode;

  @Option(names = "--watch-sample-above", paramLabel = "KEYS", defaultValue = "" + WatchSettings.DEFAULT_SAMPLE_ABOVE,
      description = "Under --watch-mode auto, the most keys a database may hold and still be counted key by key "
          + "(default: ${DEFAULT-VALUE}).")
  long sampleAbove;

  @Option(names = "--watch-sample-size", paramLabel = "KEYS", defaultValue = "" + WatchSettings.DEFAULT_SAMPLE_SCAN_KEYS,
      description = "Keys the SCANs of a sampled database return in a pass; errors shrink with its square root "
          + "(default: ${DEFAULT-VALUE}).")
  int sampleSize;

  WatchSettings apply(WatchSettings settings) {
    return settings.sampling(Units.choice("--watch-mode", mode, WatchMode.class), sampleAbove, sampleSize);
  }

  static String describe(WatchSettings s) {
    return switch (s.mode()) {
      case FULL -> "every key counted";
      case SAMPLED -> "databases over " + s.sampleScanKeys() + " keys sampled";
      case AUTO -> "databases over " + Math.max(s.sampleAbove(), s.sampleScanKeys()) + " keys sampled";
    };
  }
}
