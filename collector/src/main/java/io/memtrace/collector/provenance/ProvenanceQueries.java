package io.memtrace.collector.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.lineage.KeyEvents;
import io.memtrace.collector.lineage.ReadLineage;
import io.memtrace.collector.lineage.TraceLineage;
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
 * spans, the memory spans they link to, those spans' subtrees, the lineage of their reads, and the writes of their
 * keys up to the calls. Every lookup is bounded by start times (the store is kept in time order, so a bound skips
 * the row groups outside it) and joined on ids as {@code VALUES}, which filter in the scan.
 */
final class ProvenanceQueries {

  /** The GenAI operations that are a model call (inference), as OpenTelemetry's GenAI conventions name them. */
  static final List<String> INFERENCE = List.of("chat", "text_completion", "generate_content");

  /** How long before a model call the memory spans it links to are looked for, first and then; then all time. */
  private static final long[] LINK_WINDOWS_MICROS = {10_000_000L, 600_000_000L};
  /** Ids per statement: a {@code VALUES} list of this many keeps a statement small. */
  private static final int CHUNK = 2_000;
  /** Reads per lineage query: each query reads the lineage view of its stretch of time, so fewer and larger is cheaper. */
  private static final int LINEAGE_CHUNK = 10_000;
  /**
   * Up to this many traces, their reads' lineage is {@link TraceLineage#of(SqlSource, List)}'s, which names each
   * writer's task; past it, one question per {@link #LINEAGE_CHUNK} reads of the {@code lineage} view within their times,
   * which names the write span instead: the former's one disjunction per trace took minutes for 10,000 traces.
   */
  private static final int FEW_TRACES = 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Function<String, String> ATTRIBUTE = key -> {
    PromotedAttributes.Column column = PromotedAttributes.of(key);
    return "TRY_CAST(attributes['" + key + "'] AS " + (column == null ? "BIGINT" : column.type()) + ")";
  };

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
        events = storedAnswers ? events : new KeyEvents(columns, events.kept(), false);
        lineage = lineage(source, memory.values(), children, events);
        writes = writes(source, spans.values(), last, events);
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
      List<Link> parsed = links(rows.text(i, "links"));
      calls.add(new Call(rows.text(i, "trace_id"), rows.text(i, "span_id"), rows.text(i, "name"),
          rows.text(i, "service_name"), rows.number(i, "start_us"), model, rows.text(i, "conversation"),
          longOrNull(rows.value(i, "input_tokens")), longOrNull(rows.value(i, "context_records")),
          rows.decimal(i, "prompt_share"), rule.ofSpan(attributes), rows.text(i, "links") != null, parsed));
    }
    return calls;
  }

  /** The links of a span as stored (see {@code SpanRow#linksJson}); none for null or text that is not links. */
  static List<Link> links(String json) {
    if (json == null) {
      return List.of();
    }
    List<Link> links = new ArrayList<>();
    try {
      for (JsonNode link : JSON.readTree(json)) {
        JsonNode attributes = link.path("attributes");
        JsonNode records = attributes.path("memtrace.context.records");
        links.add(new Link(link.path("trace_id").asText(), link.path("span_id").asText(),
            attributes.hasNonNull("memtrace.context.source") ? attributes.get("memtrace.context.source").asText() : null,
            records.isNumber() || records.isTextual() && records.asText().matches("\\d+") ? records.asLong() : null));
      }
    } catch (java.io.IOException e) {
      return List.of();
    }
    return links;
  }

  /** The fields of {@link Span}, read from {@code spans}. */
  private static String spanFields(TenantRule rule) {
    String tenant = rule.attribute() == null ? "NULL" : "attributes[" + literal(rule.attribute()) + "]::VARCHAR";
    return "trace_id, span_id, parent_span_id, name, service_name, epoch_us(start_time) AS start_us, "
        + "epoch_us(end_time) AS end_us, " + MemoryConventions.keySql(ATTRIBUTE) + " AS key, "
        + MemoryConventions.namespaceSql(ATTRIBUTE) + " AS namespace, "
        + MemoryConventions.operationSql(ATTRIBUTE) + " AS memory_operation, "
        + "attributes['db.operation.name']::VARCHAR AS command, "
        + "(attributes['db.system.name'] IS NOT NULL OR attributes['db.system'] IS NOT NULL) AS is_database, "
        + "CASE WHEN attributes['server.address'] IS NOT NULL THEN attributes['server.address']::VARCHAR || ':' "
        + "|| coalesce(attributes['server.port']::VARCHAR, '') END AS redis, "
        + "TRY_CAST(attributes['db.namespace'] AS INTEGER) AS db, " + tenant + " AS tenant, "
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
        "search".equals(operation) ? recordIds(rows.text(i, "record_ids")) : List.of());
  }

  /** A record id attribute: one id, or a list of them (as JSON text). */
  static List<String> recordIds(String value) {
    if (value == null || value.isEmpty()) {
      return List.of();
    }
    if (value.startsWith("[")) {
      try {
        List<String> ids = new ArrayList<>();
        for (JsonNode id : JSON.readTree(value)) {
          ids.add(id.asText());
        }
        return ids;
      } catch (java.io.IOException e) {
        return List.of(value);
      }
    }
    return List.of(value);
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
        ResultTable rows = source.queryOwn("SELECT " + spanFields(rule) + " FROM spans JOIN (VALUES " + pairs(chunk)
            + ") AS l(t, s) ON trace_id = l.t AND span_id = l.s" + window);
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
      ResultTable rows = source.queryOwn("SELECT " + spanFields(rule) + " FROM spans JOIN (VALUES "
          + chunk.stream().map(t -> "(" + literal(t) + ")").collect(Collectors.joining(", "))
          + ") AS l(t) ON trace_id = l.t WHERE" + within(from, to).substring(4) + " AND parent_span_id IS NOT NULL");
      for (int i = 0; i < rows.size(); i++) {
        Span span = span(rows, i, rule);
        spans.put(ProvenanceInputs.id(span.traceId(), span.spanId()), span);
        children.computeIfAbsent(ProvenanceInputs.id(span.traceId(), span.parentSpanId()), k -> new ArrayList<>()).add(span);
      }
    }
  }

  /** The lineage of the reads in the memory spans' traces, by trace and read span id. */
  private static Map<String, Map<String, ReadLineage>> lineage(SqlSource source, Collection<Span> memory,
      Map<String, List<Span>> children, KeyEvents events) {
    Map<String, TraceLineage.Trace> traces = new LinkedHashMap<>();
    Map<String, Set<String>> keys = new HashMap<>();
    Map<String, long[]> bounds = new HashMap<>();
    for (Span m : memory) {
      List<Span> subtree = new ArrayList<>();
      subtree.add(m);
      for (int i = 0; i < subtree.size() && i < 10_000; i++) {
        subtree.addAll(children.getOrDefault(ProvenanceInputs.id(subtree.get(i).traceId(), subtree.get(i).spanId()), List.of()));
      }
      for (Span s : subtree) {
        if (s.key() != null) {
          keys.computeIfAbsent(m.traceId(), t -> new LinkedHashSet<>()).add(s.key());
          long[] b = bounds.computeIfAbsent(m.traceId(), t -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
          b[0] = Math.min(b[0], s.startMicros());
          b[1] = Math.max(b[1], s.endMicros());
        }
      }
    }
    keys.forEach((trace, k) -> traces.put(trace, new TraceLineage.Trace(trace, k, bounds.get(trace)[0], bounds.get(trace)[1])));
    Map<String, Map<String, ReadLineage>> lineage = new HashMap<>();
    try {
      if (traces.size() <= FEW_TRACES) {
        return TraceLineage.of(source, new ArrayList<>(traces.values()), events);
      }
      // the reads in time order, so that each chunk's query reads only the lineage of its own stretch of time
      List<Span> all = new ArrayList<>();
      children.values().stream().flatMap(List::stream).filter(s -> s.key() != null).forEach(all::add);
      memory.stream().filter(m -> m.key() != null).forEach(all::add);
      all.sort(java.util.Comparator.comparingLong(Span::startMicros));
      for (List<Span> chunk : chunks(all, LINEAGE_CHUNK)) {
        long from = chunk.get(0).startMicros();
        long to = chunk.get(chunk.size() - 1).startMicros();
        List<String> ids = chunk.stream().map(s -> ProvenanceInputs.id(s.traceId(), s.spanId())).toList();
        ResultTable rows = source.queryOwn("SELECT read_trace_id, read_span_id, read_service, writer, miss, write_trace_id, "
            + "write_service, write_name, write_access, value_age_ms, write_ttl FROM lineage JOIN (VALUES " + pairs(ids)
            + ") AS r(t, s) ON read_trace_id = r.t AND read_span_id = r.s WHERE read_time BETWEEN make_timestamp(" + from
            + ") AND make_timestamp(" + to + ")");
        for (int i = 0; i < rows.size(); i++) {
          lineage.computeIfAbsent(rows.text(i, "read_trace_id"), t -> new HashMap<>()).put(rows.text(i, "read_span_id"),
              new ReadLineage(rows.text(i, "read_span_id"), rows.text(i, "read_service"), rows.text(i, "writer"),
                  rows.text(i, "miss"), rows.text(i, "write_trace_id"), rows.text(i, "write_service"),
                  rows.text(i, "write_access"), rows.text(i, "write_name"), rows.decimal(i, "value_age_ms"),
                  rows.value(i, "write_ttl") == null ? null : rows.number(i, "write_ttl")));
        }
      }
    } catch (CollectorException e) {
      // a store without the lineage views (a server too old to have them): the records show without writers
    }
    return lineage;
  }

  /** Ids {@code trace/span} as {@code VALUES} rows of two columns. */
  private static String pairs(List<String> ids) {
    return ids.stream().map(id -> "(" + literal(id.substring(0, id.indexOf('/'))) + ", "
        + literal(id.substring(id.indexOf('/') + 1)) + ")").collect(Collectors.joining(", "));
  }

  /**
   * The writes and deletes of the keys read, from the first read to the last call: of the stored events alone when
   * the tail names none of the keys ({@link KeyEvents#relation}), whose plan is a fraction of the view's.
   */
  private static List<Write> writes(SqlSource source, Collection<Span> spans, long lastCall, KeyEvents events) {
    Set<String> keys = spans.stream().map(Span::key).filter(k -> k != null).collect(Collectors.toCollection(LinkedHashSet::new));
    if (keys.isEmpty()) {
      return List.of();
    }
    long from = spans.stream().mapToLong(Span::startMicros).min().orElseThrow();
    List<Write> writes = new ArrayList<>();
    try {
      for (List<String> chunk : chunks(new ArrayList<>(keys), CHUNK)) {
        ResultTable rows = source.queryOwn("SELECT layer, redis, db, namespace, e.key, epoch_us(time) AS start_us, "
            + "epoch_us(end_time) AS end_us, service_name, trace_id FROM " + events.relation() + " AS e JOIN (VALUES "
            + chunk.stream().map(k -> "(" + literal(k) + ")").collect(Collectors.joining(", ")) + ") AS k(key) "
            + "ON e.key = k.key WHERE access IN ('write', 'delete') AND status_code IS DISTINCT FROM 'ERROR' "
            + "AND end_time >= make_timestamp(" + from + ") AND time <= make_timestamp(" + lastCall + ") ORDER BY time");
        for (int i = 0; i < rows.size(); i++) {
          writes.add(new Write(rows.text(i, "layer"), rows.text(i, "redis"),
              rows.value(i, "db") == null ? null : (int) rows.number(i, "db"), rows.text(i, "namespace"),
              rows.text(i, "key"), rows.number(i, "start_us"), rows.number(i, "end_us"), rows.text(i, "service_name"),
              rows.text(i, "trace_id")));
        }
      }
    } catch (CollectorException e) {
      return List.of(); // no key_event_rows: nothing is called stale
    }
    return writes;
  }

  /** {@code " AND start_time BETWEEN ..."}: the bounds as literals, which the scan's row-group statistics use. */
  static String within(long fromMicros, long toMicros) {
    return " AND start_time BETWEEN make_timestamp(" + fromMicros + ") AND make_timestamp(" + toMicros + ")";
  }

  private static <T> List<List<T>> chunks(List<T> list, int size) {
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
