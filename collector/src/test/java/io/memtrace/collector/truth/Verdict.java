package io.memtrace.collector.truth;

import com.fasterxml.jackson.databind.JsonNode;
import io.memtrace.collector.truth.MemtraceAnswers.Lineage;
import io.memtrace.collector.truth.ScenarioRunner.Read;

/**
 * One answer of memtrace to one read, judged against the oracle: {@code right} (the oracle's answer), {@code unknown}
 * (memtrace says it cannot know, and why: {@code cause}) or {@code wrong} (anything else, said with confidence).
 * {@code claim} is memtrace's answer in a few words and {@code kind} the answer's shape, so that wrong answers of one
 * shape (one bug) group together; {@code claimed} the command of the traced step memtrace named, if any, and
 * {@code named} that step's run number.
 */
record Verdict(String source, Read read, String outcome, String cause, String claim, String kind, String claimed,
    Integer named) {

  static Verdict lineage(Read read, Lineage row, StepSpans spans) {
    Change truth = read.truth();
    if (row == null) {
      return of("lineage", read, "unknown", "no lineage row", "no row", "none");
    }
    String claim = row.toString();
    if (row.writer().equals("compressed")) {
      return of("lineage", read, "unknown", "compressed", claim, "compressed");
    }
    if (row.writer().equals("script")) {
      // a script ran on the key after the last write seen: the view says what it did is unknown
      return of("lineage", read, "unknown", "script", claim, "script");
    }
    if (row.writer().equals("whole_db")) {
      // a FLUSHDB, FLUSHALL or SWAPDB after the change seen: what it left of the key is unknown
      return of("lineage", read, "unknown", "whole database", claim, "whole database");
    }
    if (row.writer().equals("not_in_store")) {
      if (truth.namedByItsSpan()) {
        return of("lineage", read, "wrong", null, claim, "not_in_store");
      }
      return of("lineage", read, row.found() || truth != Change.NEVER ? "unknown" : "right", "writer not in store",
          claim, "not_in_store");
    }
    if (row.writer().equals("unknown")) {
      // a later change only notifications know of, whose author the view cannot tell
      return of("lineage", read, "unknown", "writer unknown", claim, "writer unknown");
    }
    if (row.writer().equals("outside")) {
      return lineageOutside(read, row, claim);
    }
    Integer run = spans.run(row.writeSpan());
    return lineageSeen(read, row, spans, claim, run).naming(run, spans.command(run));
  }

  /** A change only keyspace notifications know of, after the last traced one: outside the traced services, or Redis. */
  private static Verdict lineageOutside(Read read, Lineage row, String claim) {
    Change truth = read.truth();
    if (row.found()) {
      return judge("lineage", read, truth.what().equals("write") && truth.by() == Step.Actor.OUTSIDE, claim,
          "saw outside write");
    }
    if (row.miss() == null || row.miss().equals("unknown")) {
      return of("lineage", read, "unknown", "miss unknown", claim, "miss unknown");
    }
    return judge("lineage", read, row.miss().equals("deleted") ? truth.what().equals("delete") && !truth.traced()
        : truth.what().equals(row.miss()), claim, row.miss().equals("deleted") ? "deleted_outside"
        : "outside " + row.miss());
  }

  private static Verdict lineageSeen(Read read, Lineage row, StepSpans spans, String claim, Integer run) {
    Change truth = read.truth();
    if (row.found()) {
      return judge("lineage", read, truth.what().equals("write") && truth.traced() && run != null && truth.run() == run,
          claim, "seen write");
    }
    // a delete before named beside an expiry or eviction: ClickHouse's NoticedLineage keeps the write before and takes
    // the miss from the timeline (the join alone says deleted after a delete), so the miss is the claim (seeds 20062,
    // 20164, 20796 with -Dtruth.clickhouse=true)
    boolean removedByRedis = java.util.List.of("expired", "evicted").contains(String.valueOf(row.miss()));
    if ("delete".equals(row.writeAccess()) && !removedByRedis) {
      return judge("lineage", read, truth.what().equals("delete") && truth.traced() && run != null
          && truth.run() == run, claim, spans.kind("seen delete", run));
    }
    if (row.miss() == null || row.miss().equals("unknown")) {
      // since e1871ab4 the view says unknown where neither notifications nor the TTL show why
      return of("lineage", read, "unknown", "miss unknown", claim, "miss unknown");
    }
    if (row.miss().equals("deleted")) {
      // the write before named beside an outside delete, as ClickHouse's read lineage names it (NoticedLineage: a
      // traced delete would be the writer, its access delete): right for a delete by no traced span (seeds 5004, 5049)
      return judge("lineage", read, truth.what().equals("delete") && !truth.traced(), claim, "miss deleted");
    }
    return judge("lineage", read, truth.what().equals(row.miss()), claim, "miss " + row.miss());
  }

  static Verdict timeline(Read read, JsonNode event, StepSpans spans) {
    Change truth = read.truth();
    if (event == null) {
      return of("timeline", read, "unknown", "read not in the timeline", "no event", "none");
    }
    Integer run = spans.run(event.path("writer").path("span_id").asText(null));
    return timelineRead(read, event, spans, run).naming(run, spans.command(run));
  }

  private static Verdict timelineRead(Read read, JsonNode event, StepSpans spans, Integer run) {
    Change truth = read.truth();
    boolean tracedRun = truth.traced() && run != null && truth.run() == run;
    if (event.path("what").asText().equals("read")) {
      String claim = "saw " + (run == null ? event.path("writer").toString() : "step #" + run);
      if (!event.hasNonNull("writer")) {
        return of("timeline", read, "unknown", "no writer", claim, "no writer");
      }
      JsonNode writer = event.path("writer");
      if (writer.path("what").asText().equals("whole_db") && writer.path("by").asText().equals("unknown")) {
        // a FLUSHDB, FLUSHALL or SWAPDB after the last write: the value came after it or by it, unknown
        return of("timeline", read, "unknown", "whole database", claim, "whole database");
      }
      if (writer.path("by").asText().equals("unknown")) {
        // a change only notifications know of, whose author memtrace says it cannot tell (retention compressed the
        // spans around it, or a RENAME, COPY or MOVE brought it from a key its span names)
        return of("timeline", read, "unknown", "writer unknown", claim, "writer unknown");
      }
      if (writer.path("by").asText().equals("outside")) {
        // a change only keyspace notifications know of: right when the oracle's last change is an untraced write
        return judge("timeline", read, truth.what().equals("write") && truth.by() == Step.Actor.OUTSIDE,
            "saw the change outside the traced services", "saw outside " + writer.path("what").asText());
      }
      return judge("timeline", read, truth.what().equals("write") && tracedRun, claim, "saw traced write");
    }
    String kind = event.path("reason_kind").asText();
    String claim = event.path("reason").asText();
    return switch (kind) {
      case "deleted" -> judge("timeline", read, truth.what().equals("delete") && tracedRun, claim,
          spans.kind(kind, run));
      case "expired", "ttl_ran_out" -> judge("timeline", read, truth.what().equals("expired"), claim, kind);
      case "evicted" -> judge("timeline", read, truth.what().equals("evicted"), claim, kind);
      case "deleted_outside" -> judge("timeline", read, truth.what().equals("delete") && !truth.traced(), claim, kind);
      case "never_written" -> judge("timeline", read, truth == Change.NEVER, claim, kind);
      // "notifications were on and reported no expiry, eviction or delete" is false when Redis did report one
      case "unknown" -> reported(truth) ? judge("timeline", read, false, claim, kind)
          : of("timeline", read, "unknown", kind, claim, kind);
      default -> of("timeline", read, "unknown", kind, claim, kind);
    };
  }

  /** Whether Redis sends a keyspace event of the key for this removal: expiries, evictions and an outside DEL. */
  private static boolean reported(Change truth) {
    return truth.what().equals("expired") || truth.what().equals("evicted") || truth.what().equals("delete")
        && !truth.traced() && java.util.Set.of("DEL", "UNLINK").contains(truth.command());
  }

  private static Verdict judge(String source, Read read, boolean right, String claim, String kind) {
    return of(source, read, right ? "right" : "wrong", null, claim, kind);
  }

  private static Verdict of(String source, Read read, String outcome, String cause, String claim, String kind) {
    return new Verdict(source, read, outcome, cause, claim, kind, null, null);
  }

  /** The same verdict, of another source (the same question asked of another store). */
  Verdict from(String store) {
    return new Verdict(store, read, outcome, cause, claim, kind, claimed, named);
  }

  /** This verdict, knowing the step memtrace named (its run number, or null) and its command. */
  Verdict naming(Integer run, String command) {
    return new Verdict(source, read, outcome, cause, claim, kind, command, run);
  }

  /**
   * The shape of a wrong answer: its source, what the oracle says happened (and by whom) and what memtrace said, so
   * that every read that one bug gets wrong shares it.
   */
  String signature() {
    Change t = read.truth();
    String truth = t == null ? "?" : t.what() + (t.by() == null ? "" : " by " + t.by().name().toLowerCase(
        java.util.Locale.ROOT) + " " + t.command());
    return source + ": " + truth + " -> " + kind;
  }
}
