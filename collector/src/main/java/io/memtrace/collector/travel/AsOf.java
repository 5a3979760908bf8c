package io.memtrace.collector.travel;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.TraceRequest;
import io.memtrace.collector.view.TraceSpan;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** The moment {@code restore --as-of} rebuilds: a time as written, or when a trace began (its first span's start). */
public final class AsOf {

  private AsOf() {
  }

  /** {@code text}: an ISO-8601 time ({@code 2026-11-27T07:00:00Z}) or a trace id (or a prefix of one) in the store. */
  public static Instant resolve(String text, StoreReader reader) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notATime) {
      if (!text.matches("[0-9a-fA-F]{1,32}")) {
        throw new CollectorException("--as-of '" + io.memtrace.collector.Visible.text(text) + "' is neither a time "
            + "like 2026-11-27T07:00:00Z nor a trace id");
      }
    }
    Map<String, List<TraceSpan>> traces = reader.traces(new TraceRequest(text.toLowerCase(java.util.Locale.ROOT), 1,
        null));
    List<List<TraceSpan>> found = traces.values().stream().filter(spans -> !spans.isEmpty()).toList();
    if (found.isEmpty()) {
      throw new CollectorException("no trace " + text + " in " + reader.describe());
    }
    if (found.size() > 1) {
      throw new CollectorException("--as-of " + text + " names " + found.size() + " traces; give more of the id");
    }
    long start = found.get(0).stream().mapToLong(TraceSpan::startMicros).min().orElseThrow();
    return Instant.ofEpochSecond(Math.floorDiv(start, 1_000_000), Math.floorMod(start, 1_000_000) * 1_000);
  }
}
