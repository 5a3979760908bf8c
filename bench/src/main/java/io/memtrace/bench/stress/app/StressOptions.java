package io.memtrace.bench.stress.app;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stress application's command line, parsed and checked; every error names its flag. Defaults,
 * chosen for 2 cores:
 * <ul>
 *   <li>{@code --threads}: 4; burst 16; fleet {@code 1,3,5,10,20} (a list only for fleet)</li>
 *   <li>{@code --seconds} 10 measured (per level for fleet), {@code --warmup} 2 (per level for fleet)</li>
 *   <li>{@code --ballast-percent} 0 (no ballast); below 100</li>
 *   <li>{@code --value-bytes} 1 MiB - 1 KiB, the size of a large workload's value</li>
 *   <li>{@code --rate} ops/s of the mixed or vector cycle, all threads together: 0 (unpaced); leak 1,000</li>
 *   <li>{@code --leak-rate} 50 keys/s</li>
 *   <li>{@code --growth-base} 20 keys/s, {@code --growth-factor} 50, {@code --growth-jump-seconds} 5</li>
 *   <li>{@code --burst-ms} 200, {@code --pause-ms} 800</li>
 *   <li>{@code --seed} 1 (the payloads)</li>
 *   <li>{@code --turns EPOCH_MS,SECONDS,PHASE[,RUNS]}: none; given, the run takes turns with
 *       others, RUNS in all, 2 when left out ({@link Turns}): it warms up until the epoch, ignoring
 *       {@code --warmup}, then goes on for {@code --seconds} of all the runs' turns and samples only
 *       its own (mixed and burst only). {@code ready} for EPOCH_MS: the run says when its workers run
 *       and reads the epoch from stdin ({@link EpochHandshake})</li>
 * </ul>
 * A knob a workload does not use is accepted and ignored, so the harness may pass a common set.
 *
 * @param threads the thread count, or the fleet's levels in order
 * @param rate the resolved pace of the mixed or vector cycle, 0 unpaced
 * @param turns the turns this run takes with another, or null when it runs alone
 */
record StressOptions(String redisHost, int redisPort, StressWorkload workload, List<Integer> threads, int seconds,
    int warmup, Path samples, double ballastPercent, int valueBytes, double rate, double leakRate,
    double growthBase, double growthFactor, int growthJumpSeconds, long burstMillis, long pauseMillis, long seed,
    Turns turns) {

  static final String USAGE = "usage: StressApp --redis HOST:PORT --workload mixed|leak|large|growth|vector|fleet|burst"
      + " --threads N|N,N,.. --seconds S --warmup S --samples FILE [--ballast-percent P] [--value-bytes B]"
      + " [--rate R] [--leak-rate R] [--growth-base R] [--growth-factor F] [--growth-jump-seconds S]"
      + " [--burst-ms X] [--pause-ms Y] [--seed N] [--turns EPOCH_MS|ready,SECONDS,PHASE[,RUNS]]";

  private static final Set<String> FLAGS = Set.of("--redis", "--workload", "--threads", "--seconds", "--warmup",
      "--samples", "--ballast-percent", "--value-bytes", "--rate", "--leak-rate", "--growth-base", "--growth-factor",
      "--growth-jump-seconds", "--burst-ms", "--pause-ms", "--seed", Turns.FLAG);

  /** A command line the application refuses; it exits 2 with the message. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  static StressOptions parse(String... args) throws UsageException {
    Map<String, String> given = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!FLAGS.contains(args[i])) {
        throw new UsageException("unknown flag " + args[i]);
      }
      if (i + 1 == args.length) {
        throw new UsageException(args[i] + " needs a value");
      }
      if (given.put(args[i], args[i + 1]) != null) {
        throw new UsageException(args[i] + " is given twice");
      }
    }
    String redis = required(given, "--redis");
    int colon = redis.lastIndexOf(':');
    if (colon <= 0) {
      throw new UsageException("--redis: expected HOST:PORT, got '" + redis + "'");
    }
    String host = redis.substring(0, colon);
    requireLoopback(host);
    StressWorkload workload = StressWorkload.parse(required(given, "--workload"));
    List<Integer> threads = threads(given.getOrDefault("--threads", workload.defaultThreads), workload);
    Turns turns = given.containsKey(Turns.FLAG) ? Turns.parse(given.get(Turns.FLAG)) : null;
    if (turns != null && workload != StressWorkload.MIXED && workload != StressWorkload.BURST) {
      throw new UsageException(Turns.FLAG + ": only the mixed and burst workloads take turns, not "
          + workload.flagValue());
    }
    return new StressOptions(host, (int) whole(redis.substring(colon + 1), "--redis port", 1, 65_535), workload,
        threads, (int) whole(given, "--seconds", 10, 1, 86_400), (int) whole(given, "--warmup", 2, 0, 3_600),
        Path.of(required(given, "--samples")), decimal(given, "--ballast-percent", 0, 0, 99.9),
        (int) whole(given, "--value-bytes", (1 << 20) - 1024, 1, 256 << 20),
        decimal(given, "--rate", workload.defaultRate, 0, 1e9), decimal(given, "--leak-rate", 50, 0.01, 1e6),
        decimal(given, "--growth-base", 20, 0.01, 1e6), decimal(given, "--growth-factor", 50, 1, 1e4),
        (int) whole(given, "--growth-jump-seconds", 5, 0, 86_400), whole(given, "--burst-ms", 200, 1, 600_000),
        whole(given, "--pause-ms", 800, 0, 600_000), whole(given, "--seed", 1, Long.MIN_VALUE, Long.MAX_VALUE), turns);
  }

  /** The largest thread count of any level: the size of the connection pool. */
  int maxThreads() {
    return threads.stream().mapToInt(Integer::intValue).max().orElse(1);
  }

  private static List<Integer> threads(String value, StressWorkload workload) throws UsageException {
    String[] parts = value.split(",", -1);
    if (parts.length > 1 && workload != StressWorkload.FLEET) {
      throw new UsageException("--threads: a list of levels is for --workload fleet only, got '" + value + "'");
    }
    List<Integer> levels = new ArrayList<>();
    for (String part : parts) {
      levels.add((int) whole(part.trim(), "--threads", 1, 512));
    }
    return List.copyOf(levels);
  }

  /** Only a Redis on this machine: the application must never load a shared server. */
  private static void requireLoopback(String host) throws UsageException {
    try {
      if (!InetAddress.getByName(host).isLoopbackAddress()) {
        throw new UsageException("--redis: " + host + " is not a loopback address; only a local Redis is loaded");
      }
    } catch (UnknownHostException e) {
      throw new UsageException("--redis: unknown host " + host);
    }
  }

  private static String required(Map<String, String> given, String flag) throws UsageException {
    String value = given.get(flag);
    if (value == null) {
      throw new UsageException(flag + " is required");
    }
    return value;
  }

  private static long whole(Map<String, String> given, String flag, long dflt, long min, long max)
      throws UsageException {
    String value = given.get(flag);
    return value == null ? dflt : whole(value, flag, min, max);
  }

  private static long whole(String value, String flag, long min, long max) throws UsageException {
    long n;
    try {
      n = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new UsageException(flag + ": not a whole number: '" + value + "'");
    }
    if (n < min || n > max) {
      throw new UsageException(flag + ": " + n + " is outside " + min + ".." + max);
    }
    return n;
  }

  private static double decimal(Map<String, String> given, String flag, double dflt, double min, double max)
      throws UsageException {
    String value = given.get(flag);
    if (value == null) {
      return dflt;
    }
    double d;
    try {
      d = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new UsageException(flag + ": not a number: '" + value + "'");
    }
    if (!(d >= min && d <= max)) {
      throw new UsageException(flag + ": " + value + " is outside " + min + ".." + max);
    }
    return d;
  }
}
