package io.memtrace.collector.provenance;

import io.memtrace.collector.ingest.AttributeValues;
import io.memtrace.collector.lineage.KeyEvents;
import io.memtrace.collector.lineage.ReadLineage;
import io.memtrace.collector.provenance.ProvenanceInputs.All;
import io.memtrace.collector.provenance.ProvenanceInputs.Call;
import io.memtrace.collector.provenance.ProvenanceInputs.Link;
import io.memtrace.collector.provenance.ProvenanceInputs.Span;
import io.memtrace.collector.provenance.ProvenanceInputs.Write;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.store.MemoryConventions;
import io.memtrace.collector.store.PromotedAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads what {@link Provenance#assemble} joins, in a handful of queries whatever the number of calls: the model
 * spans, the memory spans they link to, those spans' subtrees, and ({@link ProvenanceLineage}) the lineage of their
 * reads and the writes of their keys up to the calls. Every lookup is bounded by start times (the store is kept in time order, so a bound skips
 * the row groups outside it) and joined on ids given as one JSON literal ({@link #texts}), which filter in the scan.
 */
final class ProvenanceQueries {

  /** The GenAI operations that are a model call (inference), as OpenTelemetry's GenAI conventions name them. */
  static final List<String> INFERENCE = List.of("chat", "text_completion", "generate_content");

  /** How long before a model call the memory spans it links to are looked for, first and then; then all time. */
  private static final long[] LINK_WINDOWS_MICROS = {10_000_000L, 600_000_000L};
  /** Ids per statement. */
  static final int CHUNK = 2_000;
  private static final Function<String, String> ATTRIBUTE = PromotedAttributes.FROM_MAP;

  private ProvenanceQueries() {
  }

  static List<ModelCall> read(SqlSource source, String where, TenantRule rule) {
    return read(source, where, rule, true);
  }

  /**
   * {@code storedAnswers} false asks as before {@link KeyEvents#tailFree} was known, through the view that answers the
   * tail whatever it holds: for tests that compare the two.
   */
  static List<ModelCall> read(SqlSource source, String where, TenantRule rule, boolean storedAnswers) {
    Set<String> columns = columns(source);
    List<Call> calls = calls(source, inference(columns) + " AND " + where, columns.contains("links"), rule);
    Map<String, Span> spans = new HashMap<>();
    Map<String, List<Span>> children = new HashMap<>();
    Map<String, Map<String, ReadLineage>> lineage = new HashMap<>();
    List<Write> writes = List.of();
    List<Link> links = calls.stream().flatMap(c -> c.links().stream()).toList();
    if (!links.isEmpty()) {
      long first = calls.stream().mapToLong(Call::startMicros).min().orElseThrow();
      long last = calls.stream().mapToLong(Call::startMicros).max().orElseThrow();
      Map<String, Span> memory = memorySpans(source, links, first, last, rule);
      if (!memory.isEmpty()) {
        subtrees(source, memory.values(), rule, spans, children);
        spans.putAll(memory);
        KeyEvents events = KeyEvents.of(source, columns, spans.values().stream().map(Span::key)
            .filter(java.util.Objects::nonNull).distinct().toList());
        events = storedAnswers ? events : events.viewOnly();
        lineage = ProvenanceLineage.lineage(source, memory.values(), children, events);
        writes = ProvenanceLineage.writes(source, spans.values(), last, events);
      }
    }
    return Provenance.assemble(new All(calls, spans, children, lineage, writes, rule));
  }

  static Set<String> columns(SqlSource source) {
    return KeyEvents.columns(source);
  }

  /** The condition that a span of {@code spans} (with these columns) is a model call. */
  static String inference(Set<String> columns) {
    // the typed column where the store has it: a report over 10M spans would otherwise read every span's attributes;
    // else the attribute, in parentheses so that the query path does not turn it into that column (it assumes a
    // store's view has every typed column once it has the last one)
    String operation = columns.contains("gen_ai_operation_name") ? "gen_ai_operation_name"
        : "(attributes)['gen_ai.operation.name']::VARCHAR";
    return operation + " IN ('" + String.join("', '", INFERENCE) + "')";
  }

  private static List<Call> calls(SqlSource source, String where, boolean links, TenantRule rule) {
    String tenant = rule.attribute() == null ? "NULL" : "attributes[" + literal(rule.attribute()) + "]::VARCHAR";
    ResultTable rows = source.queryOwn("SELECT trace_id, span_id, name, service_name, epoch_us(start_time) AS start_us, "
        + "attributes['gen_ai.request.model']::VARCHAR AS request_model, "
        + "attributes['gen_ai.response.model']::VARCHAR AS response_model, "
        + "attributes['gen_ai.conversation.id']::VARCHAR AS conversation, "
        + "TRY_CAST(attributes['gen_ai.usage.input_tokens'] AS BIGINT) AS input_tokens, "
        + "TRY_CAST(attributes['memtrace.context.records'] AS BIGINT) AS context_records, "
        + "TRY_CAST(attributes['memtrace.context.prompt_share'] AS DOUBLE) AS prompt_share, "
        + tenant + " AS tenant, " + (links ? "links::VARCHAR" : "NULL::VARCHAR") + " AS links FROM spans WHERE " + where
        + " ORDER BY start_time, span_id");
    List<Call> calls = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      String model = rows.text(i, "response_model") != null ? rows.text(i, "response_model") : rows.text(i, "request_model");
      Map<String, Object> attributes = new HashMap<>();
      if (rows.text(i, "tenant") != null) {
        attributes.put(rule.attribute(), rows.text(i, "tenant"));
      }
      if (rows.text(i, "conversation") != null) {
        attributes.put(TenantRule.CONVERSATION_ID, rows.text(i, "conversation"));
      }
      List<Link> parsed = ProvenanceInputs.links(rows.text(i, "links"));
      calls.add(new Call(rows.text(i, "trace_id"), rows.text(i, "span_id"), rows.text(i, "name"),
          rows.text(i, "service_name"), rows.number(i, "start_us"), model, rows.text(i, "conversation"),
          longOrNull(rows.value(i, "input_tokens")), longOrNull(rows.value(i, "context_records")),
          rows.decimal(i, "prompt_share"), rule.ofSpan(attributes), rows.text(i, "links") != null, parsed));
    }
    return calls;
  }

  /** The fields of {@link Span}, read from {@code spans}. */
  private static String spanFields(TenantRule rule) {
    String tenant = rule.attribute() == null ? "NULL" : "attributes[" + literal(rule.attribute()) + "]::VARCHAR";
    return "trace_id, span_id, parent_span_id, name, service_name, epoch_us(start_time) AS start_us, "
        + "epoch_us(end_time) AS end_us, " + MemoryConventions.keySql(ATTRIBUTE) + " AS key, "
        + MemoryConventions.namespaceSql(ATTRIBUTE) + " AS namespace, "
        + MemoryConventions.operationSql(ATTRIBUTE) + " AS memory_operation, "
        + "attributes['db.operation.name']::VARCHAR AS command, "
        + PromotedAttributes.DATABASE_FIELDS_FROM_MAP + ", " + tenant + " AS tenant, "
        + "attributes['gen_ai.conversation.id']::VARCHAR AS conversation, "
        + "attributes['gen_ai.memory.record.id']::VARCHAR AS record_ids";
  }

  private static Span span(ResultTable rows, int i, TenantRule rule) {
    Map<String, Object> attributes = new HashMap<>();
    if (rows.text(i, "tenant") != null) {
      attributes.put(rule.attribute(), rows.text(i, "tenant"));
    }
    if (rows.text(i, "conversation") != null) {
      attributes.put(TenantRule.CONVERSATION_ID, rows.text(i, "conversation"));
    }
    String operation = rows.text(i, "memory_operation");
    return new Span(rows.text(i, "trace_id"), rows.text(i, "span_id"), rows.text(i, "parent_span_id"),
        rows.text(i, "name"), rows.text(i, "service_name"), rows.number(i, "start_us"), rows.number(i, "end_us"),
        rows.text(i, "key"), rows.text(i, "namespace"), operation, rows.text(i, "command"),
        Boolean.TRUE.equals(rows.bool(i, "is_database")), rows.text(i, "redis"),
        rows.value(i, "db") == null ? null : (int) rows.number(i, "db"), rule.ofSpan(attributes),
        "search".equals(operation) ? ProvenanceInputs.recordIds(rows.text(i, "record_ids")) : List.of());
  }

  /**
   * The memory spans the links name: first within windows before the calls ({@link #LINK_WINDOWS_MICROS}), then, for
   * any not found, anywhere.
   */
  private static Map<String, Span> memorySpans(SqlSource source, List<Link> links, long from, long to, TenantRule rule) {
    Map<String, Span> found = new LinkedHashMap<>();
    Set<String> wanted = links.stream().map(l -> ProvenanceInputs.id(l.traceId(), l.spanId()))
        .collect(Collectors.toCollection(LinkedHashSet::new));
    for (int step = 0; step <= LINK_WINDOWS_MICROS.length; step++) {
      boolean bounded = step < LINK_WINDOWS_MICROS.length;
      String window = bounded ? " WHERE" + within(from - LINK_WINDOWS_MICROS[step], to).substring(4) : "";
      List<String> open = wanted.stream().filter(id -> !found.containsKey(id)).toList();
      for (List<String> chunk : chunks(open, CHUNK)) {
        ResultTable rows = source.queryOwn("SELECT " + spanFields(rule) + " FROM spans JOIN " + pairs(chunk)
            + " AS l ON trace_id = l.t AND span_id = l.s" + window);
        for (int i = 0; i < rows.size(); i++) {
          Span span = span(rows, i, rule);
          found.put(ProvenanceInputs.id(span.traceId(), span.spanId()), span);
        }
      }
      if (found.size() == wanted.size()) {
        break;
      }
    }
    return found;
  }

  /**
   * The spans of the memory spans' traces that started within a memory span's time (its subtree starts there, give
   * or take the clocks of a service it called), into {@code spans} by id and {@code children} by parent id.
   */
  private static void subtrees(SqlSource source, Collection<Span> memory, TenantRule rule, Map<String, Span> spans,
      Map<String, List<Span>> children) {
    long from = memory.stream().mapToLong(Span::startMicros).min().orElseThrow();
    long to = memory.stream().mapToLong(Span::endMicros).max().orElseThrow();
    List<String> traces = memory.stream().map(Span::traceId).distinct().toList();
    for (List<String> chunk : chunks(traces, CHUNK)) {
      ResultTable rows = source.queryOwn("SELECT " + spanFields(rule) + " FROM spans JOIN " + texts(chunk)
          + " AS l ON trace_id = l.v WHERE" + within(from, to).substring(4) + " AND parent_span_id IS NOT NULL");
      for (int i = 0; i < rows.size(); i++) {
        Span span = span(rows, i, rule);
        spans.put(ProvenanceInputs.id(span.traceId(), span.spanId()), span);
        children.computeIfAbsent(ProvenanceInputs.id(span.traceId(), span.parentSpanId()), k -> new ArrayList<>()).add(span);
      }
    }
  }


  /**
   * Ids {@code trace/span} as a relation of two columns, {@code t} and {@code s} (see {@link #texts}).
   */
  static String pairs(List<String> ids) {
    return "(SELECT substr(v, 1, strpos(v, '/') - 1) AS t, substr(v, strpos(v, '/') + 1) AS s FROM " + texts(ids) + ")";
  }

  /**
   * Texts as a relation of one column, {@code v}, from one JSON array literal: DuckDB reads it in milliseconds, where
   * a {@code VALUES} list of 10,000 rows (the reads of 5,000 model calls) took it 0.6 to 0.85 s to plan.
   */
  static String texts(Collection<String> texts) {
    StringBuilder json = new StringBuilder("[");
    for (String text : texts) {
      if (json.length() > 1) {
        json.append(',');
      }
      AttributeValues.writeString(json, text);
    }
    return "(SELECT unnest(from_json(" + literal(json.append(']').toString()) + ", '[\"VARCHAR\"]')) AS v)";
  }

  /** {@code " AND start_time BETWEEN ..."}: the bounds as literals, which the scan's row-group statistics use. */
  static String within(long fromMicros, long toMicros) {
    return " AND start_time BETWEEN make_timestamp(" + fromMicros + ") AND make_timestamp(" + toMicros + ")";
  }

  static <T> List<List<T>> chunks(List<T> list, int size) {
    List<List<T>> chunks = new ArrayList<>();
    for (int i = 0; i < list.size(); i += size) {
      chunks.add(list.subList(i, Math.min(list.size(), i + size)));
    }
    return chunks;
  }

  private static Long longOrNull(Object value) {
    return value == null ? null : ((Number) value).longValue();
  }

  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
