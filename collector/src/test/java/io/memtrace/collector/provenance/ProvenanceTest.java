package io.memtrace.collector.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.lineage.ReadLineage;
import io.memtrace.collector.provenance.ProvenanceInputs.All;
import io.memtrace.collector.provenance.ProvenanceInputs.Call;
import io.memtrace.collector.provenance.ProvenanceInputs.Link;
import io.memtrace.collector.provenance.ProvenanceInputs.Span;
import io.memtrace.collector.provenance.ProvenanceInputs.Write;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The joining and its rules, without a store: stale contexts, tenants, links to spans not stored. */
class ProvenanceTest {

  private static final String CALL = "c1";
  private static final Span MEMORY = new Span(CALL, "m1", "root", "memory.retrieve", "app", 100, 120, "acme:c1", "chat",
      "retrieve", null, false, null, null, null, List.of());
  private static final Span READ = new Span(CALL, "r1", "m1", "GET", "app", 110, 111, "chat:acme:c1", "chat", null, "GET",
      true, "10.0.0.5:6379", 0, null, List.of());
  private static final Call MODEL = new Call(CALL, "x1", "chat gpt", "app", 200, "gpt", "acme:c1", 10L, 1L, 0.5, "acme",
      true, List.of(new Link(CALL, "m1", "chat_memory", 1L)));

  private static All all(List<Write> writes, TenantRule rule, Call... calls) {
    return new All(List.of(calls), Map.of("c1/m1", MEMORY, "c1/r1", READ), Map.of("c1/m1", List.of(READ)),
        Map.of(CALL, Map.of("r1", new ReadLineage("r1", "app", "seen", null, "w0", "ingest", "write", "load", 50.0, null))),
        writes, rule);
  }

  private static Write write(String trace, long start, long end, String redis, Integer db) {
    return new Write("redis", redis, db, "chat", "chat:acme:c1", start, end, "other", trace);
  }

  @Test
  void shouldCallAReadStaleOnlyWhenAnotherTraceWroteItsKeyInItsPlaceBetweenTheReadAndTheCall() {
    String redis = "10.0.0.5:6379";
    assertThat(stale(write("w2", 150, 151, redis, 0))).isTrue();
    assertThat(stale(write("w2", 150, 151, redis, null))).as("no database is database 0").isTrue();
    assertThat(stale(write("w2", 105, 112, redis, 0))).as("still running when the read began: not seen").isTrue();
    assertThat(stale(write("w2", 100, 105, redis, 0))).as("ended before the read: the value read").isFalse();
    assertThat(stale(write("w2", 210, 211, redis, 0))).as("after the call began").isFalse();
    assertThat(stale(write(CALL, 150, 151, redis, 0))).as("the call's own turn").isFalse();
    assertThat(stale(write("w2", 150, 151, "10.0.0.6:6379", 0))).as("another Redis").isFalse();
    assertThat(stale(write("w2", 150, 151, redis, 1))).as("another database").isFalse();
  }

  private static boolean stale(Write w) {
    ModelCall call = Provenance.assemble(all(List.of(w), TenantRule.NONE, MODEL)).get(0);
    assertThat(call.records()).hasSize(1);
    return call.records().get(0).stale();
  }

  @Test
  void shouldTakeTheWritersFromLineageAndKeepALinkToASpanNotStored() {
    Call call = new Call(CALL, "x1", "chat gpt", "app", 200, "gpt", null, null, null, null, null, true,
        List.of(new Link(CALL, "m1", "chat_memory", 1L), new Link("elsewhere", "m9", "retrieval", 3L)));
    ModelCall made = Provenance.assemble(all(List.of(), TenantRule.NONE, call)).get(0);
    assertThat(made.sources()).extracting(ContextSource::found).containsExactly(true, false);
    ContextRecord record = made.sources().get(0).records().get(0);
    assertThat(record.writerTask()).isEqualTo("load");
    assertThat(record.writeService()).isEqualTo("ingest");
    assertThat(record.ageMillis()).isEqualTo(50.0);
    assertThat(made.sources().get(1).linkedRecords()).isEqualTo(3L);
  }

  @Test
  void shouldFlagARecordOfAnotherTenantByTheKeyPatternAndTheMemoryCallsTenant() {
    TenantRule rule = new TenantRule(Pattern.compile("^([^:]+):"), null, Pattern.compile("^chat:([^:]+):"));
    Call other = new Call(CALL, "x1", "chat gpt", "app", 200, "gpt", "globex:c7", 10L, 1L, 0.5, "globex", true,
        MODEL.links());
    assertThat(Provenance.assemble(all(List.of(), rule, other)).get(0).crossTenantReads()).isEqualTo(1);
    assertThat(Provenance.assemble(all(List.of(), rule, MODEL)).get(0).crossTenantReads()).isZero();
  }

  @Test
  void shouldTakeATenantFromTheAttributeFirstThenTheConversationAndAWholeMatchWithoutAGroup() {
    TenantRule rule = new TenantRule(Pattern.compile("^([^:]+):"), "tenant.id", Pattern.compile("^t-\\d+"));
    assertThat(rule.ofSpan(Map.of("tenant.id", "t-1", "gen_ai.conversation.id", "acme:c1"))).isEqualTo("t-1");
    assertThat(rule.ofSpan(Map.of("gen_ai.conversation.id", "acme:c1"))).isEqualTo("acme");
    assertThat(rule.ofSpan(Map.of("gen_ai.conversation.id", "nocolon"))).isNull();
    assertThat(rule.ofKey("t-12:doc")).isEqualTo("t-12");
    assertThat(TenantRule.NONE.ofKey("t-12:doc")).isNull();
    assertThat(TenantRule.crosses("a", null)).isFalse();
    assertThat(TenantRule.crosses("a", "b")).isTrue();
  }

  @Test
  void shouldReadLinksAndRecordIdsAsStored() {
    assertThat(ProvenanceInputs.links("[{\"trace_id\":\"t\",\"span_id\":\"s\",\"trace_state\":\"\",\"attributes\":"
        + "{\"memtrace.context.source\":\"retrieval\",\"memtrace.context.records\":3}}]"))
        .containsExactly(new Link("t", "s", "retrieval", 3L));
    assertThat(ProvenanceInputs.links(null)).isEmpty();
    assertThat(ProvenanceInputs.links("not json")).isEmpty();
    assertThat(ProvenanceInputs.recordIds("[\"a\",\"b\"]")).containsExactly("a", "b");
    assertThat(ProvenanceInputs.recordIds("doc:1")).containsExactly("doc:1");
  }
}
