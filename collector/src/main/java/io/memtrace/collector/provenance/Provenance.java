package io.memtrace.collector.provenance;

import io.memtrace.collector.lineage.CommandAccess;
import io.memtrace.collector.lineage.ReadLineage;
import io.memtrace.collector.provenance.ProvenanceInputs.All;
import io.memtrace.collector.provenance.ProvenanceInputs.Call;
import io.memtrace.collector.provenance.ProvenanceInputs.Link;
import io.memtrace.collector.provenance.ProvenanceInputs.Span;
import io.memtrace.collector.provenance.ProvenanceInputs.Write;
import io.memtrace.collector.query.SqlSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The provenance of model calls: for each, the memory spans it links to, under each the keys read and the write that
 * produced each value (the {@code lineage} view's answer, through {@link io.memtrace.collector.lineage.TraceLineage}),
 * whether the key was written again between the read and the call (a stale context), and whether a record belongs
 * to another tenant than the memory call (see {@link TenantRule}).
 *
 * <p>The questions a store answers ({@link #ofTrace}, {@link #between}) read it through {@link SqlSource}, the path of
 * {@code query}, so they work on a data directory and on a running server alike; {@link #assemble} joins what they
 * read and holds every rule.
 *
 * <p>A stale context is a write by another trace: the call's own trace may write the key it read before the call
 * (Spring AI's chat-memory advisors add the user's message to the memory right after reading it), and that write is
 * the conversation's own turn, not a value changed under the model.
 */
public final class Provenance {

  private static final Map<String, String> ACCESS = CommandAccess.withContainers();

  /** The GenAI operations that are a model call (inference), for a store that finds the calls itself. */
  public static final List<String> INFERENCE = ProvenanceQueries.INFERENCE;

  private Provenance() {
  }

  /**
   * The model calls of one trace that started between {@code fromMicros} and {@code toMicros} (the trace's span
   * starts, which keep the lookup to the store's row groups of that time), in start order.
   */
  public static List<ModelCall> ofTrace(SqlSource source, String traceId, long fromMicros, long toMicros, TenantRule rule) {
    return ProvenanceQueries.read(source, "trace_id = " + ProvenanceQueries.literal(traceId)
        + ProvenanceQueries.within(fromMicros, toMicros), rule);
  }

  /** One model call, its span's start known (the web view's panel). */
  public static List<ModelCall> ofCall(SqlSource source, String traceId, String spanId, long startMicros, TenantRule rule) {
    return ProvenanceQueries.read(source, "trace_id = " + ProvenanceQueries.literal(traceId) + " AND span_id = "
        + ProvenanceQueries.literal(spanId) + ProvenanceQueries.within(startMicros, startMicros), rule);
  }

  /** The model calls of these ids ({@code trace/span}), which started in {@code [fromMicros, toMicros]}, in start order. */
  public static List<ModelCall> ofCalls(SqlSource source, List<String> ids, long fromMicros, long toMicros, TenantRule rule) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return ProvenanceQueries.read(source, "trace_id || '/' || span_id IN (" + ids.stream().map(ProvenanceQueries::literal)
        .collect(java.util.stream.Collectors.joining(", ")) + ")" + ProvenanceQueries.within(fromMicros, toMicros), rule);
  }

  /** Every model call that started in {@code [fromMicros, toMicros)}; null bounds are open. */
  public static List<ModelCall> between(SqlSource source, Long fromMicros, Long toMicros, TenantRule rule) {
    String where = "true" + (fromMicros == null ? "" : " AND start_time >= make_timestamp(" + fromMicros + ")")
        + (toMicros == null ? "" : " AND start_time < make_timestamp(" + toMicros + ")");
    return ProvenanceQueries.read(source, where, rule);
  }

  /** Joins what was read: one {@link ModelCall} per call, in the calls' order. */
  public static List<ModelCall> assemble(All all) {
    List<ModelCall> calls = new ArrayList<>(all.calls().size());
    Map<String, List<Write>> writesByKey = new HashMap<>();
    for (Write w : all.writes()) {
      writesByKey.computeIfAbsent(w.key(), k -> new ArrayList<>()).add(w); // each key's writes keep their time order
    }
    for (Call call : all.calls()) {
      List<ContextSource> sources = new ArrayList<>();
      for (Link link : call.links()) {
        sources.add(source(all, writesByKey, call, link));
      }
      calls.add(new ModelCall(call.traceId(), call.spanId(), call.name(), call.service(), call.startMicros(), call.model(),
          call.conversationId(), call.inputTokens(), call.contextRecords(), call.promptShare(), call.linked(), sources));
    }
    return calls;
  }

  private static ContextSource source(All all, Map<String, List<Write>> writesByKey, Call call, Link link) {
    Span memory = all.spans().get(ProvenanceInputs.id(link.traceId(), link.spanId()));
    if (memory == null) {
      return new ContextSource(link.traceId(), link.spanId(), null, null, null, link.source(), link.records(), false, 0,
          call.tenant(), List.of());
    }
    String tenant = memory.tenant() != null ? memory.tenant() : call.tenant();
    Map<String, ReadLineage> lineage = all.lineage().getOrDefault(memory.traceId(), Map.of());
    List<ContextRecord> records = new ArrayList<>();
    List<Span> reads = new ArrayList<>();
    collectReads(all, memory, reads, 0);
    if (reads.isEmpty() && memory.key() != null && lineage.containsKey(memory.spanId())) {
      reads.add(memory); // a memory-manager read whose Redis commands are not in the store
    }
    Set<String> keys = new LinkedHashSet<>();
    for (Span read : reads) {
      keys.add(read.key());
      ReadLineage seen = lineage.get(read.spanId());
      Write rewrite = rewrite(writesByKey.getOrDefault(read.key(), List.of()), read, call);
      String recordTenant = all.rule().ofKey(read.key());
      records.add(new ContextRecord(read.key(), read.database() ? "redis" : "memory", read.spanId(), read.command() != null
          ? read.command() : read.memoryOperation(), seen == null ? null : seen.writer(), seen == null ? null
          : seen.writeService(), seen == null ? null : seen.writeTraceId(), seen == null ? null : seen.writerTask(),
          seen == null ? null : seen.ageMillis(), rewrite == null ? null : rewrite.service(),
          rewrite == null ? null : rewrite.traceId(), recordTenant, TenantRule.crosses(tenant, recordTenant)));
    }
    for (String id : memory.recordIds()) {
      if (keys.add(id)) {
        String recordTenant = all.rule().ofKey(id);
        records.add(new ContextRecord(id, "returned", null, memory.memoryOperation(), null, null, null, null, null, null,
            null, recordTenant, TenantRule.crosses(tenant, recordTenant)));
      }
    }
    return new ContextSource(memory.traceId(), memory.spanId(), memory.name(), memory.service(), memory.memoryOperation(),
        link.source(), link.records(), true, memory.startMicros(), tenant, records);
  }

  /** The Redis reads of keys in the span's subtree; a nested memory span's own (a repository under a chat memory) too. */
  private static void collectReads(All all, Span span, List<Span> into, int depth) {
    if (depth > 16) {
      return;
    }
    for (Span child : all.children().getOrDefault(ProvenanceInputs.id(span.traceId(), span.spanId()), List.of())) {
      if (child.database() && child.key() != null && isRead(child.command())) {
        into.add(child);
      }
      collectReads(all, child, into, depth + 1);
    }
  }

  static boolean isRead(String command) {
    return command != null && "read".equals(ACCESS.get(command.toUpperCase(Locale.ROOT)));
  }

  /**
   * The first write of the read's key, in its place, by another trace than the call's, that ended after the read
   * began (so the read did not see it) and began before the call: the value the model got was no longer the stored
   * one. Null when there is none.
   */
  static Write rewrite(List<Write> writes, Span read, Call call) {
    for (Write w : writes) {
      if (w.key().equals(read.key()) && samePlace(w, read) && w.endMicros() > read.startMicros()
          && w.startMicros() < call.startMicros() && !w.traceId().equals(call.traceId())) {
        return w;
      }
    }
    return null;
  }

  private static boolean samePlace(Write w, Span read) {
    if (read.database()) {
      return "redis".equals(w.layer()) && Objects.equals(w.redis(), read.redis())
          && (w.db() == null ? 0 : w.db()) == (read.db() == null ? 0 : read.db());
    }
    return "memory".equals(w.layer()) && Objects.equals(w.namespace(), read.namespace());
  }
}
