package io.memtrace.collector.provenance;

import static io.memtrace.collector.SpanFixtures.attr;
import static io.memtrace.collector.SpanFixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.lineage.KeyEvents;
import io.memtrace.collector.lineage.LineageFixtures;
import io.memtrace.collector.lineage.TraceLineage;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provenance of a model call read from the stored answers when the tail names none of its keys is the one read
 * through the view that answers the tail: writers, ages and stale marks alike, on a store of seven turns over two
 * moves and a tail that holds one turn, a late write of a key read after it, and a rewrite between a read and its call.
 */
class ProvenanceStoredAnswersTest {

  private static final int TURNS = 7;

  @TempDir
  Path dir;

  @Test
  void shouldGiveEachCallTheWritersAgesAndStaleMarksOfTheTailAnsweringPath() throws Exception {
    try (SpanStore store = TestStores.open(dir, true)) {
      for (int i = 0; i < TURNS; i++) {
        TestStores.write(store, writer(i));
      }
    }
    try (SpanStore store = TestStores.open(dir, true)) {
      for (int i = 0; i < TURNS - 1; i++) {
        TestStores.write(store, turn(i));
      }
      // another service rewrites turns 0 and 2's chat memory between the read and the call
      TestStores.write(store, SpanFixtures.request("other-svc", List.of(rewrite("0e", 0, 150), rewrite("0e", 2, 150))));
    }
    Map<String, List<ModelCall>> inTail;
    try (SpanStore store = TestStores.open(dir, false)) {
      TestStores.write(store, turn(TURNS - 1));
      // late: a write of turn 4's key that ended before its read, and a rewrite of turn 3's between its read and call
      TestStores.write(store, SpanFixtures.request("late-svc", List.of(rewrite("0f", 4, 50), rewrite("0f", 3, 150))));
      try (Connection connection = store.newConnection()) {
        SqlSource source = TestStores.source(connection);
        assertThat(source.query("SELECT count(*) AS n FROM span_ingest").number(0, "n")).isEqualTo(6);
        inTail = compareEveryCall(source);
        assertThat(KeyEvents.of(source, List.of("chat:acme:c0", "acme:c0")).tailFree()).as("turn 0: stored answers").isTrue();
        assertThat(KeyEvents.of(source, List.of("chat:acme:c4", "acme:c4")).tailFree()).as("turn 4: the view").isFalse();
        // past a few hundred keys the tail's names are read and compared instead of listing the keys in the statement
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
          many.add("pad:" + i);
        }
        many.add("chat:acme:c0");
        assertThat(KeyEvents.of(source, many).tailFree()).as("many keys, none in the tail").isTrue();
        many.add("chat:acme:c4");
        assertThat(KeyEvents.of(source, many).tailFree()).as("many keys, one in the tail").isFalse();
      }
    }
    assertThat(records(inTail, 0).staleBy()).isEqualTo("other-svc");
    assertThat(records(inTail, 1).writer()).as("a compressed write may have followed the one seen").isEqualTo("compressed");
    assertThat(records(inTail, 3).staleBy()).as("a rewrite still in the tail").isEqualTo("late-svc");
    assertThat(records(inTail, 4).writeService()).as("a late write in the tail").isEqualTo("late-svc");
    assertThat(records(inTail, 4).ageMillis()).isEqualTo(60.0);
    assertThat(records(inTail, 5)).extracting(ContextRecord::writer, ContextRecord::writeService, ContextRecord::writerTask,
        ContextRecord::ageMillis, ContextRecord::staleBy).containsExactly("seen", "ingester", "ingest.load", 109.0, null);
    assertThat(records(inTail, TURNS - 1).writeTraceId()).as("a read still in the tail").isEqualTo(trace("0a", TURNS - 1));
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      assertThat(compareEveryCall(source)).as("the same once compacted").isEqualTo(inTail);
      assertStoredReadsAsTheView(source);
    }
  }

  /**
   * The many-reads path (past 20 traces a call's reads are asked all at once): every read's row as
   * {@link TraceLineage#storedReads} reads it from the stored answers, as the {@code lineage} view gives it.
   */
  private static void assertStoredReadsAsTheView(SqlSource source) {
    String columns = "read_trace_id, read_span_id, read_service, writer, miss, write_trace_id, write_span_id, "
        + "write_service, write_name, write_access, value_age_ms, write_ttl";
    List<List<Object>> view = source.query("SELECT " + columns + ", epoch_us(read_time) AS t FROM lineage "
        + "ORDER BY read_trace_id, read_span_id").rows();
    assertThat(view).hasSizeGreaterThan(TURNS);
    List<String> ids = view.stream().map(r -> r.get(0) + "/" + r.get(1)).toList();
    long from = view.stream().mapToLong(r -> ((Number) r.get(r.size() - 1)).longValue()).min().orElseThrow();
    long to = view.stream().mapToLong(r -> ((Number) r.get(r.size() - 1)).longValue()).max().orElseThrow();
    ResultTable stored = TraceLineage.storedReads(source, from, to, ProvenanceQueries.pairs(ids));
    List<List<Object>> picked = new ArrayList<>();
    for (int i = 0; i < stored.size(); i++) {
      List<Object> row = new ArrayList<>();
      for (String c : columns.split(", ")) {
        row.add(stored.value(i, c));
      }
      picked.add(row);
    }
    picked.sort(java.util.Comparator.comparing((List<Object> r) -> (String) r.get(0)).thenComparing(r -> (String) r.get(1)));
    assertThat(picked).isEqualTo(view.stream().map(r -> r.subList(0, r.size() - 1)).toList());
    assertThat(picked).extracting(r -> r.get(3)).as("a compressed write among them").contains("compressed");
  }

  /**
   * Each call's provenance both ways, alone and all calls at once, by trace; asserts they are equal, and that some
   * calls' keys are named by the tail and some not while it holds spans.
   */
  private static Map<String, List<ModelCall>> compareEveryCall(SqlSource source) {
    ResultTable calls = source.query("SELECT trace_id, epoch_us(start_time) AS t FROM spans WHERE name = 'chat gpt-4o' "
        + "ORDER BY trace_id");
    assertThat(calls.size()).isEqualTo(TURNS);
    Map<String, List<ModelCall>> answers = new LinkedHashMap<>();
    for (int i = 0; i < calls.size(); i++) {
      String where = "trace_id = " + ProvenanceQueries.literal(calls.text(i, "trace_id"))
          + ProvenanceQueries.within(calls.number(i, "t"), calls.number(i, "t"));
      List<ModelCall> stored = ProvenanceQueries.read(source, where, ModelCallFixtures.RULE, true);
      assertThat(stored).as(calls.text(i, "trace_id")).isEqualTo(ProvenanceQueries.read(source, where,
          ModelCallFixtures.RULE, false)).singleElement().extracting(c -> c.records().size()).isEqualTo(1);
      answers.put(calls.text(i, "trace_id"), stored);
    }
    assertThat(ProvenanceQueries.read(source, "true", ModelCallFixtures.RULE, true))
        .isEqualTo(ProvenanceQueries.read(source, "true", ModelCallFixtures.RULE, false))
        .isEqualTo(answers.values().stream().flatMap(List::stream).toList());
    return answers;
  }

  private static ContextRecord records(Map<String, List<ModelCall>> answers, int turn) {
    return answers.get(trace("0c", turn)).get(0).records().get(0);
  }

  private static String trace(String kind, int turn) {
    return String.format("%030d%s", 0, kind).substring(2) + String.format("%02d", turn);
  }

  /** The ingester writes turn {@code i}'s chat memory, a second apart. */
  private static ExportTraceServiceRequest writer(int i) {
    Span task = span(trace("0a", i), null, "ingest.load", i * 1000L, 20).build();
    return SpanFixtures.request("ingester", List.of(task,
        ModelCallFixtures.redis(trace("0a", i), task.getSpanId(), "SET", i * 1000L + 1, "chat:acme:c" + i)));
  }

  /** Turn {@code i}: the chat-memory read at 110 to 120 ms, its GET at 111, the linked call at 200; turn 1 beside a compressed count. */
  private static ExportTraceServiceRequest turn(int i) {
    String trace = trace("0c", i);
    long at = i * 1000L;
    List<Span> spans = new ArrayList<>();
    Span root = span(trace, null, "assistant.turn", at + 100, 300).build();
    spans.add(root);
    Span chat = SpanFixtures.memory(trace, root.getSpanId(), "retrieve", at + 110, 10, "acme:c" + i, "chat", 300L);
    spans.add(chat);
    spans.add(ModelCallFixtures.redis(trace, chat.getSpanId(), "GET", at + 111, "chat:acme:c" + i));
    spans.add(ModelCallFixtures.model(trace, root.getSpanId(), at + 200, "acme:c" + i)
        .addLinks(ModelCallFixtures.link(chat, "chat_memory", 1)).addAttributes(attr("memtrace.context.records", 1L)).build());
    if (i == 1) {
      spans.add(span(trace, root.getSpanId(), "app.task.bulk", at + 50, 100).addAttributes(attr("memtrace.compressed.count", 2L))
          .addEvents(LineageFixtures.compressed("SET", "chat:acme", 2)).build());
    }
    return SpanFixtures.request("assistant", spans);
  }

  private static Span rewrite(String kind, int i, long offset) {
    return ModelCallFixtures.redis(trace(kind, i), null, "SET", i * 1000L + offset, "chat:acme:c" + i);
  }
}
