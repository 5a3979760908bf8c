package io.memtrace.collector.provenance;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model calls {@link CrossTenantMeter} has counted, taken in the order the collector received them rather than by
 * when they started: a call is judged when its span arrives, however long it ran or however late it was sent; and
 * while a memory span it links to, or the Redis reads under one, have not arrived yet, it is judged again as more
 * spans arrive, and counted by what it adds. Each call's cross-tenant records are counted once. Owned by the meter's
 * thread.
 */
final class JudgedCalls {

  /**
   * How far behind the last look a span received may still become visible: the writer stores what it received in
   * batches, so a span received just before a look may be stored just after. Calls received within it are looked at
   * again, and those already judged skipped by their ids.
   */
  static final long VISIBLE_LAG_MICROS = 30_000_000L;
  /** How long after its receipt a call whose memory is not all stored yet is judged again. */
  static final long OPEN_MICROS = 10 * 60_000_000L;
  private static final int CHUNK = 500;

  /** A call judged: when it started and was received, what it counted, and whether its memory was all there. */
  private static final class Judged {
    final long startMicros;
    final long receivedMicros;
    long counted;
    boolean complete;

    Judged(long startMicros, long receivedMicros) {
      this.startMicros = startMicros;
      this.receivedMicros = receivedMicros;
    }
  }

  private final Map<String, Judged> calls = new HashMap<>();
  private long lookedUpTo;

  JudgedCalls(long startMicros) {
    this.lookedUpTo = startMicros;
  }

  /**
   * Judges the calls received since the last look (up to {@code nowMicros}) and those still waiting for their memory;
   * adds to {@code counts}, per calling service, the cross-tenant records not counted before (a service with a call
   * at 0).
   */
  void judge(SqlSource source, TenantRule rule, long nowMicros, Map<String, Long> counts) {
    String inference = ProvenanceQueries.inference(ProvenanceQueries.columns(source));
    ResultTable arrived = source.query("SELECT trace_id, span_id, epoch_us(start_time) AS start_us, "
        + "epoch_us(received_at) AS received_us FROM spans WHERE " + inference + " AND received_at >= make_timestamp("
        + (lookedUpTo - VISIBLE_LAG_MICROS) + ") AND received_at < make_timestamp(" + nowMicros + ")");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < arrived.size(); i++) {
      String id = arrived.text(i, "trace_id") + "/" + arrived.text(i, "span_id");
      if (!calls.containsKey(id)) {
        calls.put(id, new Judged(arrived.number(i, "start_us"), arrived.number(i, "received_us")));
        ids.add(id);
      }
    }
    Set<String> arrivedNow = new HashSet<>(ids);
    calls.forEach((id, j) -> {
      if (!j.complete && !arrivedNow.contains(id) && j.receivedMicros >= nowMicros - OPEN_MICROS) {
        ids.add(id); // waiting for its memory spans: judged again with what arrived since
      }
    });
    for (int from = 0; from < ids.size(); from += CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
      long first = chunk.stream().mapToLong(id -> calls.get(id).startMicros).min().orElseThrow();
      long last = chunk.stream().mapToLong(id -> calls.get(id).startMicros).max().orElseThrow();
      for (ModelCall call : Provenance.ofCalls(source, chunk, first, last, rule)) {
        count(call, counts);
      }
    }
    lookedUpTo = nowMicros;
    prune(nowMicros);
  }

  private void count(ModelCall call, Map<String, Long> counts) {
    Judged judged = calls.get(call.traceId() + "/" + call.spanId());
    if (judged == null) {
      return;
    }
    String service = call.service() == null ? "unknown_service" : call.service();
    long cross = call.crossTenantReads();
    counts.merge(service, Math.max(0, cross - judged.counted), Long::sum);
    judged.counted = Math.max(judged.counted, cross);
    // all there: every linked memory span stored, each with the records read under it (or it returned none)
    judged.complete = call.sources().stream().allMatch(s -> s.found() && (!s.records().isEmpty()
        || Long.valueOf(0).equals(s.linkedRecords())));
  }

  /** Forgets the calls no look can return again: received before the lag, and complete or past waiting. */
  private void prune(long nowMicros) {
    for (Iterator<Judged> it = calls.values().iterator(); it.hasNext(); ) {
      Judged j = it.next();
      if (j.receivedMicros < lookedUpTo - VISIBLE_LAG_MICROS && (j.complete || j.receivedMicros < nowMicros - OPEN_MICROS)) {
        it.remove();
      }
    }
  }

  /** How many calls are remembered (judged within the lag, or waiting for their memory). */
  int remembered() {
    return calls.size();
  }
}
