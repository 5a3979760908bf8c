package io.memtrace.collector.clickhouse.reader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.lineage.ReadLineage;
import io.memtrace.collector.provenance.ModelCall;
import io.memtrace.collector.provenance.Provenance;
import io.memtrace.collector.provenance.ProvenanceInputs;
import io.memtrace.collector.provenance.ProvenanceInputs.Call;
import io.memtrace.collector.provenance.ProvenanceInputs.Link;
import io.memtrace.collector.provenance.ProvenanceInputs.Span;
import io.memtrace.collector.provenance.ProvenanceInputs.Write;
import io.memtrace.collector.provenance.TenantRule;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Model-call provenance from ClickHouse: the rows {@link Provenance#assemble} joins, fetched from {@code otel_traces}
 * (the model spans and their {@code Links.*} columns as the exporter writes them, the linked memory spans and their
 * subtrees as {@link TypedSpans}), the lineage of their reads ({@link Lineage#traceRows}) and the later writes of
 * their keys ({@link Lineage#events}). Every rule (stale, cross-tenant, which reads count) is the assembly's, the
 * embedded store's; this class only reads rows.
 */
final class ClickHouseProvenance {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SqlSource source;
  private final Lineage lineage;
  private final ClickHouseTraces traces;

  ClickHouseProvenance(SqlSource source) {
    this.source = source;
    this.lineage = new Lineage(source);
    this.traces = new ClickHouseTraces(source);
  }

  /** The model calls of one trace that started in {@code [fromMicros, toMicros]}, in start order. */
  List<ModelCall> ofTrace(String traceId, long fromMicros, long toMicros, TenantRule rule) {
    return read("s.TraceId = " + ClickHouseTraces.literal(traceId) + " AND s.Timestamp BETWEEN "
        + "fromUnixTimestamp64Micro(" + fromMicros + ") AND fromUnixTimestamp64Micro(" + toMicros + ")", rule);
  }

  /** Every model call that started at or after {@code sinceMicros} (0 for all). */
  List<ModelCall> since(long sinceMicros, TenantRule rule) {
    return read(sinceMicros > 0 ? "s.Timestamp >= fromUnixTimestamp64Micro(" + sinceMicros + ")" : "true", rule);
  }

  private List<ModelCall> read(String where, TenantRule rule) {
    List<Call> calls = calls(where, rule);
    Map<String, Span> spans = new HashMap<>();
    Map<String, List<Span>> children = new HashMap<>();
    Map<String, Map<String, ReadLineage>> seen = new HashMap<>();
    List<Write> writes = List.of();
    List<Link> links = calls.stream().flatMap(c -> c.links().stream()).toList();
    if (!links.isEmpty()) {
      Map<String, Span> memory = spans("(s.TraceId, s.SpanId) IN (" + links.stream().map(l -> "("
          + ClickHouseTraces.literal(l.traceId()) + ", " + ClickHouseTraces.literal(l.spanId()) + ")").distinct()
          .collect(Collectors.joining(", ")) + ")", "true", rule);
      if (!memory.isEmpty()) {
        long from = memory.values().stream().mapToLong(Span::startMicros).min().orElseThrow();
        long to = memory.values().stream().mapToLong(Span::endMicros).max().orElseThrow();
        String traceIds = memory.values().stream().map(s -> ClickHouseTraces.literal(s.traceId())).distinct()
            .collect(Collectors.joining(", "));
        for (Span span : spans("s.TraceId IN (" + traceIds + ") AND s.ParentSpanId != '' AND s.Timestamp BETWEEN "
            + "fromUnixTimestamp64Micro(" + from + ") AND fromUnixTimestamp64Micro(" + to + ")", "true", rule).values()) {
          spans.put(ProvenanceInputs.id(span.traceId(), span.spanId()), span);
          children.computeIfAbsent(ProvenanceInputs.id(span.traceId(), span.parentSpanId()), k -> new ArrayList<>())
              .add(span);
        }
        spans.putAll(memory);
        Set<String> keys = spans.values().stream().map(Span::key).filter(k -> k != null)
            .collect(Collectors.toCollection(TreeSet::new));
        if (!keys.isEmpty()) {
          seen = lineage(memory.values().stream().map(Span::traceId).collect(Collectors.toCollection(TreeSet::new)), keys);
          long last = calls.stream().mapToLong(Call::startMicros).max().orElseThrow();
          writes = writes(keys, spans.values().stream().mapToLong(Span::startMicros).min().orElseThrow(), last);
        }
      }
    }
    return Provenance.assemble(new ProvenanceInputs.All(calls, spans, children, seen, writes, rule));
  }

  private List<Call> calls(String where, TenantRule rule) {
    String tenant = rule.attribute() == null ? "NULL" : TypedSpans.ATTRIBUTE.apply(rule.attribute());
    ResultTable rows = source.query("SELECT s.TraceId AS trace_id, s.SpanId AS span_id, s.SpanName AS name, "
        + "toString(s.ServiceName) AS service_name, intDiv(toUnixTimestamp64Nano(s.Timestamp), 1000) AS start_us, "
        + "coalesce(" + TypedSpans.ATTRIBUTE.apply("gen_ai.response.model") + ", "
        + TypedSpans.ATTRIBUTE.apply("gen_ai.request.model") + ") AS model, "
        + TypedSpans.ATTRIBUTE.apply("gen_ai.conversation.id") + " AS conversation, "
        + "toInt64OrNull(s.SpanAttributes['gen_ai.usage.input_tokens']) AS input_tokens, "
        + "toInt64OrNull(s.SpanAttributes['memtrace.context.records']) AS context_records, "
        + "toFloat64OrNull(s.SpanAttributes['memtrace.context.prompt_share']) AS prompt_share, " + tenant + " AS tenant, "
        + "toJSONString(arrayMap((t, i, a) -> map('trace_id', t, 'span_id', i, 'source', "
        + "a['memtrace.context.source'], 'records', a['memtrace.context.records']), s.`Links.TraceId`, "
        + "s.`Links.SpanId`, s.`Links.Attributes`)) AS links FROM otel_traces AS s WHERE s.SpanAttributes["
        + "'gen_ai.operation.name'] IN ('" + String.join("', '", Provenance.INFERENCE) + "') AND (" + where + ") "
        + "ORDER BY s.Timestamp, s.SpanId");
    List<Call> calls = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      List<Link> links = links(rows.text(i, "links"));
      calls.add(new Call(rows.text(i, "trace_id"), rows.text(i, "span_id"), rows.text(i, "name"),
          rows.text(i, "service_name"), rows.number(i, "start_us"), rows.text(i, "model"), rows.text(i, "conversation"),
          longOrNull(rows.value(i, "input_tokens")), longOrNull(rows.value(i, "context_records")),
          rows.value(i, "prompt_share") == null ? null : rows.decimal(i, "prompt_share"),
          rule.ofSpan(attributes(rule, rows.text(i, "tenant"), rows.text(i, "conversation"))), !links.isEmpty(), links));
    }
    return calls;
  }

  private static List<Link> links(String json) {
    List<Link> links = new ArrayList<>();
    try {
      for (JsonNode link : JSON.readTree(json)) {
        String source = link.path("source").asText("");
        String records = link.path("records").asText("");
        links.add(new Link(link.path("trace_id").asText(), link.path("span_id").asText(),
            source.isEmpty() ? null : source, records.matches("\\d+") ? Long.valueOf(records) : null));
      }
    } catch (IOException e) {
      throw new CollectorException("ClickHouse gave span links that are not JSON: " + e.getMessage(), e);
    }
    return links;
  }

  /** The spans {@code where} selects on {@code otel_traces} and {@code typedWhere} on their typed columns, by id. */
  private Map<String, Span> spans(String where, String typedWhere, TenantRule rule) {
    String tenant = rule.attribute() == null ? "NULL" : "nullIf(attributes[" + ClickHouseTraces.literal(rule.attribute())
        + "], '')";
    ResultTable rows = source.query("SELECT trace_id, span_id, parent_span_id, name, service_name, start_us, end_us, "
        + "memory_key AS key, memory_namespace AS namespace, memory_operation, db_operation_name AS command, "
        + "toBool(db_system_name IS NOT NULL OR db_system IS NOT NULL) AS is_database, if(server_address IS NOT NULL, "
        + "concat(server_address, ':', coalesce(server_port, '')), NULL) AS redis, toInt32OrNull(db_namespace) AS db, "
        + tenant + " AS tenant, nullIf(attributes['gen_ai.conversation.id'], '') AS conversation, "
        + "nullIf(attributes['gen_ai.memory.record.id'], '') AS record_ids FROM " + TypedSpans.from(0, where)
        + " WHERE " + typedWhere);
    Map<String, Span> spans = new java.util.LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      String operation = rows.text(i, "memory_operation");
      Span span = new Span(rows.text(i, "trace_id"), rows.text(i, "span_id"), rows.text(i, "parent_span_id"),
          rows.text(i, "name"), rows.text(i, "service_name"), rows.number(i, "start_us"), rows.number(i, "end_us"),
          rows.text(i, "key"), rows.text(i, "namespace"), operation, rows.text(i, "command"),
          Boolean.TRUE.equals(rows.bool(i, "is_database")), rows.text(i, "redis"),
          rows.value(i, "db") == null ? null : (int) rows.number(i, "db"),
          rule.ofSpan(attributes(rule, rows.text(i, "tenant"), rows.text(i, "conversation"))),
          "search".equals(operation) ? ProvenanceInputs.recordIds(rows.text(i, "record_ids")) : List.of());
      spans.put(ProvenanceInputs.id(span.traceId(), span.spanId()), span);
    }
    return spans;
  }

  /** The lineage of the reads of these traces' keys, by trace and read span id, each writer named by its task. */
  private Map<String, Map<String, ReadLineage>> lineage(Collection<String> traceIds, Collection<String> keys) {
    ResultTable rows = new NoticedLineage(source).readRows(traceIds, keys, null);
    Map<String, String> tasks = traces.writerTasks(rows);
    Map<String, Map<String, ReadLineage>> byTrace = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      String write = rows.text(i, "write_span_id");
      byTrace.computeIfAbsent(rows.text(i, "read_trace_id"), t -> new HashMap<>()).put(rows.text(i, "read_span_id"),
          new ReadLineage(rows.text(i, "read_span_id"), rows.text(i, "read_service"), rows.text(i, "writer"),
              rows.text(i, "miss"), rows.text(i, "write_trace_id"), rows.text(i, "write_service"),
              rows.text(i, "write_access"), write == null ? null : tasks.getOrDefault(write, rows.text(i, "write_name")),
              rows.decimal(i, "value_age_ms"), rows.value(i, "write_ttl") == null ? null : rows.number(i, "write_ttl")));
    }
    return byTrace;
  }

  /** The writes and deletes of the keys, from the first span read to the last call, in time order. */
  private List<Write> writes(Set<String> keys, long fromMicros, long lastCall) {
    String list = keys.stream().map(ClickHouseTraces::literal).collect(Collectors.joining(", "));
    String named = "(s.TraceId, s.SpanId) IN (SELECT TraceId, SpanId FROM memtrace_ops WHERE Key IN (" + list + "))";
    ResultTable rows = source.query("SELECT layer, redis, db, namespace, key, time_us, end_us, service_name, trace_id "
        + "FROM " + lineage.events(0, named) + " WHERE access IN ('write', 'delete') AND status_code != 'ERROR' "
        + "AND key IN (" + list + ") AND end_us >= " + fromMicros + " AND time_us <= " + lastCall
        + " ORDER BY time_us, span_id");
    List<Write> writes = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      writes.add(new Write(rows.text(i, "layer"), rows.text(i, "redis"),
          rows.value(i, "db") == null ? null : (int) rows.number(i, "db"), rows.text(i, "namespace"),
          rows.text(i, "key"), rows.number(i, "time_us"), rows.number(i, "end_us"), rows.text(i, "service_name"),
          rows.text(i, "trace_id")));
    }
    return writes;
  }

  private static Map<String, Object> attributes(TenantRule rule, String tenant, String conversation) {
    Map<String, Object> attributes = new HashMap<>();
    if (tenant != null) {
      attributes.put(rule.attribute(), tenant);
    }
    if (conversation != null) {
      attributes.put(TenantRule.CONVERSATION_ID, conversation);
    }
    return attributes;
  }

  private static Long longOrNull(Object value) {
    return value == null ? null : ((Number) value).longValue();
  }
}
