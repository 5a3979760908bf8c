package io.memtrace.collector.bench;

import io.memtrace.collector.embedded.EmbeddedReader;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.store.StoreFiles;
import java.lang.management.ManagementFactory;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Not a test: times a key's timeline ({@code timeline --key KEY}, {@code StoreReader.timeline}) over a stopped store
 * opened read-only, such as the 10M-span one {@code IngestBenchmark --realistic --keep DIR} left. Keys are memory keys
 * spread through the store (each with its Redis commands and the keys that end with it); after one timeline that
 * warms the file cache, each key's timeline is timed {@code runs} times, and the median per key and over all keys is
 * printed, in wall time and in the CPU time of the whole process (DuckDB's threads included), which a machine busy
 * with other work inflates less than the wall time.
 * Run: {@code java -cp target/test-classes:target/memtrace-collector.jar
 * io.memtrace.collector.bench.TimelineBenchmark DIR [keys] [runs]}
 */
public final class TimelineBenchmark {

  public static void main(String[] args) {
    StoreFiles files = new StoreFiles(Paths.get(args[0]));
    int keys = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    com.sun.management.OperatingSystemMXBean cpu =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    LocalSqlSource local = new LocalSqlSource(files);
    try (EmbeddedReader reader = new EmbeddedReader(local)) {
      ResultTable stored = local.query("SELECT count(*) AS n FROM spans");
      System.out.println("spans stored: " + stored.number(0, "n"));
      ResultTable picked = local.query("SELECT key FROM (SELECT key, row_number() OVER (ORDER BY time) AS i, "
          + "count(*) OVER () AS n FROM key_event_store WHERE layer = 'memory' AND access = 'write') "
          + "WHERE i % (n // " + keys + ") = 0 LIMIT " + keys);
      reader.timeline(new TimelineRequest(picked.text(0, "key")));
      List<Long> all = new ArrayList<>();
      List<Long> cpuAll = new ArrayList<>();
      List<Long> history = new ArrayList<>();
      for (int k = 0; k < picked.size(); k++) {
        String key = picked.text(k, "key");
        List<Long> each = new ArrayList<>();
        KeyTimeline last = null;
        for (int r = 0; r < runs; r++) {
          long c0 = cpu.getProcessCpuTime();
          long t0 = System.nanoTime();
          last = reader.timeline(new TimelineRequest(key));
          each.add(System.nanoTime() - t0);
          cpuAll.add(cpu.getProcessCpuTime() - c0);
        }
        all.addAll(each);
        // side by side: the key page's other question, every span of the key (over spans, not the kept events)
        long h0 = System.nanoTime();
        reader.view(new io.memtrace.collector.reader.ViewQuestion(io.memtrace.collector.reader.ViewQuestion.Kind.KEY_HISTORY,
            java.util.Map.of("key", key)));
        history.add(System.nanoTime() - h0);
        System.out.printf("%s: %d events, median %d ms %s%n", key, last.events().size(), median(each) / 1_000_000,
            each.stream().map(n -> n / 1_000_000 + "").toList());
      }
      System.out.printf("a key's timeline, median of %d keys x %d runs: %d ms (min %d, max %d); CPU of the process: "
          + "median %d ms%n", picked.size(), runs, median(all) / 1_000_000, Collections.min(all) / 1_000_000,
          Collections.max(all) / 1_000_000, median(cpuAll) / 1_000_000);
      System.out.printf("side by side, the key page's history of the same keys (every span of the key), median of %d: "
          + "%d ms%n", history.size(), median(history) / 1_000_000);
    }
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
