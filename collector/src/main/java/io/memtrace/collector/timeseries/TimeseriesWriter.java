package io.memtrace.collector.timeseries;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.Failures;
import io.memtrace.collector.keyspace.KeyspaceLatest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Appends one JSON line per interval to the {@code --timeseries} file and flags namespaces whose
 * new keys per interval jump: more than {@link #GROWTH_FACTOR} times their average over the
 * previous {@link #HISTORY} intervals, and at least {@link #GROWTH_MIN_KEYS} new keys. With a
 * keyspace watcher the same line also carries Redis's own figures per namespace
 * ({@link KeyspaceLatest#addTo}); {@code watch --out} writes these lines alone, one per pass.
 */
public final class TimeseriesWriter implements AutoCloseable {

  static final int HISTORY = 6;
  static final double GROWTH_FACTOR = 3.0;
  static final long GROWTH_MIN_KEYS = 10;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeyUsageTracker tracker;
  private final KeyspaceLatest keyspace;
  private final long intervalMillis;
  private final boolean scheduled;
  private final OutputStream out;
  private final ScheduledExecutorService timer;
  private final Map<String, Deque<Long>> history = new HashMap<>();

  public TimeseriesWriter(Path file, KeyUsageTracker tracker, long intervalMillis) {
    this(file, tracker, null, intervalMillis, true);
  }

  /**
   * {@code tracker} or {@code keyspace} may be null (not both); {@code scheduled=false} writes a line
   * only when {@link #writeInterval} is called, as {@code watch} does after each pass.
   */
  public TimeseriesWriter(Path file, KeyUsageTracker tracker, KeyspaceLatest keyspace, long intervalMillis,
      boolean scheduled) {
    this.tracker = tracker;
    this.keyspace = keyspace;
    this.scheduled = scheduled;
    this.intervalMillis = intervalMillis;
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new CollectorException("cannot open --timeseries file " + file + ": " + e.getMessage(), e);
    }
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "memtrace-timeseries");
      t.setDaemon(true);
      return t;
    });
    if (scheduled) {
      timer.scheduleAtFixedRate(this::writeIntervalSafely, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }
  }

  /** A scheduled task that throws is never run again, silently; this one reports and keeps its schedule. */
  private void writeIntervalSafely() {
    try {
      writeInterval();
    } catch (Throwable t) {
      Failures.inThread(t);
    }
  }

  /** Writes one line now. */
  public synchronized void writeInterval() {
    Map<String, Object> line = new LinkedHashMap<>();
    if (tracker != null) {
      IntervalStats stats = tracker.roll(intervalMillis);
      line.putAll(stats.line());
      line.put("rapid_growth", rapidGrowth(stats.newKeysByNamespace));
    } else {
      line.put("time", java.time.Instant.now().toString());
      line.put("interval_seconds", intervalMillis / 1000.0);
    }
    if (keyspace != null) {
      keyspace.addTo(line);
    }
    try {
      out.write(JSON.writeValueAsBytes(line));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      System.err.println("memtrace collector: cannot write the time series: " + e.getMessage());
    }
  }

  private List<Map<String, Object>> rapidGrowth(Map<String, Long> newKeys) {
    List<Map<String, Object>> flagged = new ArrayList<>();
    for (String ns : history.keySet()) {
      newKeys.putIfAbsent(ns, 0L);
    }
    newKeys.forEach((ns, count) -> {
      Deque<Long> past = history.computeIfAbsent(ns, n -> new ArrayDeque<>());
      double average = past.stream().mapToLong(Long::longValue).average().orElse(0);
      if (!past.isEmpty() && count >= GROWTH_MIN_KEYS && count > GROWTH_FACTOR * average) {
        Map<String, Object> flag = new LinkedHashMap<>();
        flag.put("namespace", ns);
        flag.put("new_keys", count);
        flag.put("previous_average", Math.round(average * 100) / 100.0);
        flagged.add(flag);
      }
      past.addLast(count);
      if (past.size() > HISTORY) {
        past.removeFirst();
      }
    });
    return flagged;
  }

  /** Writes the last, partial interval (of a scheduled writer) and closes the file. */
  @Override
  public void close() {
    timer.shutdownNow();
    if (scheduled) {
      writeInterval();
    }
    try {
      out.close();
    } catch (IOException ignored) {
      // every line was flushed when written
    }
  }
}
