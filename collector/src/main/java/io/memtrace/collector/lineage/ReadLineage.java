package io.memtrace.collector.lineage;

import java.util.Locale;

/**
 * What one read saw, as a row of the {@code lineage} view gives it, with the writer's task: the name of
 * the nearest ancestor of the write that is neither a memory-manager operation nor a database command,
 * or the write's own name when it has none.
 *
 * @param writer {@code seen}, {@code not_in_store}, {@code compressed}, {@code outside}, {@code unknown} or
 *     {@code script} (a script ran on the key after the last write seen: what it did is unknown)
 * @param miss for a read that found nothing after a write seen: {@code deleted}, {@code expired} (the TTL the
 *     write set ran out, and no traced command changed it), {@code evicted} or {@code unknown} (lineage alone cannot
 *     tell why); else null
 * @param causeKind for a read that found nothing, the reason kind its record's timeline gives
 *     ({@link io.memtrace.collector.reader.KeyTimeline.Event#reasonKind()}), when asked; else null
 * @param cause that reason in words
 */
public record ReadLineage(String readSpanId, String readService, String writer, String miss, String writeTraceId,
    String writeService, String writeAccess, String writerTask, Double ageMillis, Long writeTtl, String causeKind,
    String cause) {

  /** A read's lineage without a cause named from its record's timeline. */
  public ReadLineage(String readSpanId, String readService, String writer, String miss, String writeTraceId,
      String writeService, String writeAccess, String writerTask, Double ageMillis, Long writeTtl) {
    this(readSpanId, readService, writer, miss, writeTraceId, writeService, writeAccess, writerTask, ageMillis, writeTtl,
        null, null);
  }

  /**
   * This lineage of a read that found nothing, with why as its record's timeline says
   * ({@link io.memtrace.collector.timeline.MissCauses}): {@code kind} is the timeline's reason kind.
   */
  public ReadLineage withCause(String kind, String reason) {
    return new ReadLineage(readSpanId, readService, writer, miss, writeTraceId, writeService, writeAccess, writerTask,
        ageMillis, writeTtl, kind, reason);
  }

  /**
   * One line for the trace view: {@code written 3.2 s earlier by aqe.task.generate, trace 9a98f1c2…}, or
   * {@code writer not in the store}, or {@code writer compressed by retention}. The trace is named
   * unless it is {@code readTraceId}, the service unless it is the reader's. A read that found nothing with a
   * {@link #cause} says it first ({@code found nothing: expired at 2026-…; written 3.2 s earlier by …}), unless
   * lineage saw the same (a traced delete, a TTL that ran out). A read that saw a change only keyspace notifications
   * know of names it first ({@code changed outside the traced services at 2026-…; the traced write before it …}).
   */
  public String describe(String readTraceId) {
    // a traced delete, or a TTL that ran out, is what lineage itself saw: its own words name the writer's age and task
    boolean same = "deleted".equals(causeKind) && "deleted".equals(miss)
        || "ttl_ran_out".equals(causeKind) && "expired".equals(miss);
    if (cause != null && io.memtrace.collector.timeline.MissCauses.UNTRACED.equals(causeKind)) {
      return cause + ("seen".equals(writer) ? "; the traced " + ("delete".equals(writeAccess) ? "delete" : "write")
          + " before it " + age(ageMillis == null ? 0 : ageMillis) + " earlier " + by(readTraceId) : "");
    }
    if (cause != null && !same) {
      boolean wrote = "seen".equals(writer) && "write".equals(writeAccess);
      return "found nothing: " + cause + (wrote ? "; written " + age(ageMillis == null ? 0 : ageMillis) + " earlier "
          + by(readTraceId) : "");
    }
    if ("compressed".equals(writer)) {
      return "writer compressed by retention";
    }
    if ("outside".equals(writer)) {
      // a change only keyspace notifications report, after the last traced one (LineageViews' writer outside)
      String ago = age(ageMillis == null ? 0 : ageMillis) + " earlier";
      return miss == null ? "changed outside the traced services " + ago : "found nothing: " + switch (miss) {
        case "deleted" -> "deleted outside the traced services " + ago;
        case "expired", "evicted" -> miss + " " + ago;
        default -> "changed outside the traced services " + ago + " (why is unknown)";
      };
    }
    if ("unknown".equals(writer)) {
      return "writer unknown (keyspace notifications report a later change no stored span shows for sure)";
    }
    if ("script".equals(writer)) {
      return "writer unknown: a script ran on the key " + age(ageMillis == null ? 0 : ageMillis) + " earlier "
          + by(readTraceId) + ", and its span does not say what it did";
    }
    if (!"seen".equals(writer)) {
      return "writer not in the store";
    }
    String by = by(readTraceId);
    String ago = age(ageMillis == null ? 0 : ageMillis);
    if ("deleted".equals(miss)) {
      return "found nothing: deleted " + ago + " earlier " + by;
    }
    if ("expired".equals(miss)) {
      return "found nothing: expired, written " + ago + " earlier with a " + age(writeTtl * 1000.0) + " TTL " + by;
    }
    if ("evicted".equals(miss)) {
      return "found nothing: evicted, written " + ago + " earlier " + by;
    }
    if ("unknown".equals(miss)) {
      return "found nothing though written " + ago + " earlier " + by + " (why is unknown)";
    }
    return ("delete".equals(writeAccess) ? "deleted " : "written ") + ago + " earlier " + by;
  }

  private String by(String readTraceId) {
    return "by " + writerTask + (writeService != null && !writeService.equals(readService) ? " in " + writeService : "")
        + (writeTraceId.equals(readTraceId) ? ", this trace" : ", trace " + abbreviated(writeTraceId));
  }

  static String abbreviated(String traceId) {
    return traceId.length() <= 8 ? traceId : traceId.substring(0, 8) + "…";
  }

  /** {@code 0.36 ms}, {@code 394 ms}, {@code 3.2 s}, {@code 12 min}, {@code 3.1 h}, {@code 2.0 d}. */
  public static String age(double millis) {
    if (millis < 10) {
      return String.format(Locale.ROOT, "%.2f ms", millis);
    }
    if (millis < 1000) {
      return Math.round(millis) + " ms";
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000);
    }
    if (millis < 3_600_000) {
      return Math.round(millis / 60_000) + " min";
    }
    return millis < 86_400_000 ? String.format(Locale.ROOT, "%.1f h", millis / 3_600_000)
        : String.format(Locale.ROOT, "%.1f d", millis / 86_400_000);
  }
}
