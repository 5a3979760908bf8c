package io.memtrace.collector.lineage;

/**
 * The {@code lineage} view's rows for a few reads whose keys the {@code span_ingest} tail does not touch, read from
 * their rows of {@code key_event_store} alone. Then no event of the tail is among them and no write of the tail
 * ended between a write of theirs and a read (a write of the same place has the same key), so each read's writer
 * is the one {@link Writers} kept in its row: {@link LineageViews#kept}'s answer, without answering the tail. That
 * answering, and the compressed writes' window over every namespace read, made the kept view's query about 16 KB of
 * SQL that took 50 to 170 ms at 10M spans on a busy machine, nearly all of it planning, for the two reads of one
 * model call.
 *
 * <p>A Redis read is compressed as the view has it: when a span carrying a possible write of its namespace (or of
 * {@code _OTHER}) began at or before the read and ended after its writer ({@link CompressedWrites}). The counts are
 * {@code compressed_event_rows}', the tail's too. Where two such spans of one namespace began at the same instant,
 * the view's window may stop at either; this takes the later end.
 */
final class StoredLineage {

  private StoredLineage() {
  }

  /**
   * The view's columns for the stored reads {@code scope} selects (its reads must name their keys, and the tail
   * must name none of them: {@link KeyEvents#tailFree}); the carriers {@code scope} selects are the compressed counts
   * looked at.
   */
  static String of(Scope scope) {
    String reads = "SELECT " + KeyEventStore.EVENT_COLUMNS + ", " + Writers.ALIASES + " FROM " + KeyEventStore.EVENTS
        + " WHERE (" + Writers.READ + ") AND (" + scope.reads() + ")";
    return withCompressed("", reads, scope, "", true, null);
  }

  /**
   * The view's columns for the reads of {@code reads} (the event columns, each with its writer as {@code w_*}),
   * their compressed mark added from the counts {@code scope}'s carriers select. {@code ctes} go before (each
   * followed by a comma), and {@code extra} after the view's columns (a comma first), where the CTE {@code r} holds
   * the reads. When {@code named}, the reads' writers are named from their events in {@code key_event_store} and
   * among {@code tail} (or null) ({@link Writers#named}), after the reads are kept.
   */
  static String withCompressed(String ctes, String reads, Scope scope, String extra, boolean named, String tail) {
    String counts = "(SELECT * FROM compressed_event_rows" + (scope.carriers().equals("true") ? ""
        : " WHERE " + scope.carriers()) + ")";
    String covered = "(SELECT max(p.end_time) FROM possible AS p WHERE p.start_time <= r.time "
        + "AND (p.anywhere OR p.namespace = coalesce(r.namespace, '')))";
    // without the tail's events when the tail names none of the reads' keys: its TTL changes are of other places
    String columns = LineageViews.columns("(SELECT r.*, coalesce(r.layer = 'redis' AND " + covered
        + " > coalesce(r.w_end, '-infinity'::TIMESTAMP), false) AS compressed FROM r)", scope,
        tail == null ? LineageViews.ttlChanged(KeyEventStore.EVENTS) : LineageViews.TTL_CHANGED);
    String kept = named ? "unnamed AS MATERIALIZED (" + reads + "), r AS MATERIALIZED (" + Writers.named("unnamed", tail)
        + ")" : "r AS MATERIALIZED (" + reads + ")";
    return "WITH " + ctes + kept + ", possible AS MATERIALIZED ("
        + CompressedWrites.possible(counts) + ") " + (extra.isEmpty() ? columns
        : "SELECT *" + extra + " FROM (" + columns + ")");
  }
}
