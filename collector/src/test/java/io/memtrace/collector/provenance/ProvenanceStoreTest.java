package io.memtrace.collector.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.embedded.EmbeddedReader;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.reader.ReportRequest;
import io.memtrace.collector.reader.Section;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provenance read from a real store: links to memory spans, their Redis reads, writers, a stale read, another tenant's. */
class ProvenanceStoreTest {

  @TempDir
  Path dir;

  @Test
  void shouldTraceEachRecordOfALinkedCallToItsWriterAndMarkTheStaleAndTheOtherTenantsRecords() throws Exception {
    TestStores.fill(dir, ModelCallFixtures.writer(), ModelCallFixtures.turn(), ModelCallFixtures.rewriter());
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      long t0 = SpanFixtures.T0 / 1000;
      List<ModelCall> calls = Provenance.ofTrace(source, ModelCallFixtures.CALL_TRACE, t0, t0 + 1_000_000, ModelCallFixtures.RULE);
      assertThat(calls).hasSize(2);
      ModelCall call = calls.get(0);
      assertThat(call.linked()).isTrue();
      assertThat(call.model()).isEqualTo("gpt-4o-2024");
      assertThat(call.inputTokens()).isEqualTo(1000L);
      assertThat(call.promptShare()).isEqualTo(0.4);
      assertThat(call.sources()).extracting(ContextSource::source).containsExactly("chat_memory", "retrieval");
      assertThat(call.sources()).extracting(ContextSource::tenant).containsExactly("acme", "acme");

      ContextRecord chat = call.sources().get(0).records().get(0);
      assertThat(chat.key()).isEqualTo("chat:acme:c1");
      assertThat(chat.command()).isEqualTo("GET");
      assertThat(chat.writer()).isEqualTo("seen");
      assertThat(chat.writeService()).isEqualTo("ingester");
      assertThat(chat.writeTraceId()).isEqualTo(ModelCallFixtures.WRITER_TRACE);
      assertThat(chat.writerTask()).isEqualTo("ingest.load");
      assertThat(chat.ageMillis()).isEqualTo(109.0);
      assertThat(chat.staleBy()).isEqualTo("other-svc");
      assertThat(chat.crossTenant()).isFalse();

      assertThat(call.sources().get(1).records()).extracting(ContextRecord::key, ContextRecord::stale, ContextRecord::tenant,
          ContextRecord::crossTenant).containsExactly(
              org.assertj.core.groups.Tuple.tuple("docs:acme:d1", false, "acme", false),
              org.assertj.core.groups.Tuple.tuple("docs:globex:d9", false, "globex", true));
      assertThat(call.staleRecords()).isEqualTo(1);
      assertThat(call.crossTenantReads()).isEqualTo(1);
      assertThat(call.oldestMillis()).isEqualTo(125.0);

      ModelCall unlinked = calls.get(1);
      assertThat(unlinked.linked()).isFalse();
      assertThat(unlinked.sources()).isEmpty();

      assertThat(Provenance.between(source, null, null, ModelCallFixtures.RULE)).hasSize(2);
      assertThat(Provenance.ofCall(source, call.traceId(), call.spanId(), call.startMicros(), ModelCallFixtures.RULE))
          .singleElement().isEqualTo(call);
    }
  }

  @Test
  void shouldFlagNothingWithoutATenantRule() throws Exception {
    TestStores.fill(dir, ModelCallFixtures.writer(), ModelCallFixtures.turn());
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      ModelCall call = Provenance.between(source, null, null, TenantRule.NONE).get(0);
      assertThat(call.crossTenantReads()).isZero();
      assertThat(call.staleRecords()).isZero();
      assertThat(call.records()).hasSize(3);
    }
  }

  @Test
  void shouldSayInOneLineWhatEachCallWasGivenAndReportItPerConversation() throws Exception {
    TestStores.fill(dir, ModelCallFixtures.writer(), ModelCallFixtures.turn(), ModelCallFixtures.rewriter());
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      List<ModelCall> calls = Provenance.between(source, null, null, ModelCallFixtures.RULE);
      assertThat(ContextLine.of(calls.get(0))).isEqualTo("memory: 3 records, 40% of the prompt: chat:acme:c1 by "
          + "ingest.load (ingester) 109 ms old, STALE: rewritten by other-svc before the call; docs:acme:d1 by ingest.load "
          + "(ingester) 125 ms old; docs:globex:d9 by ingest.load (ingester) 125 ms old, CROSS-TENANT: globex's, the call "
          + "is acme's");
      assertThat(ContextLine.of(calls.get(1))).startsWith("memory: unknown");
      List<Section> report = new EmbeddedReader(TestQueryLimits.local(new StoreFiles(dir)))
          .report(new ReportRequest(null, 6, null, ModelCallFixtures.RULE)).sections();
      Section section = report.stream().filter(r -> r.id().equals("model_calls")).findFirst()
          .orElseThrow();
      assertThat(section.title()).isEqualTo("Model calls and their memory");
      assertThat(section.totals()).containsEntry("calls", 2L).containsEntry("linked_calls", 1L)
          .containsEntry("stale_contexts", 1L).containsEntry("cross_tenant_reads", 1L);
      assertThat(section.table().rows()).containsExactly(List.of("assistant", "acme:c1", 2L, 1L, 2000L, 0.4, 3L, 125.0,
          1L, 1L));
      Section flags = report.stream().filter(r -> r.id().equals("model_call_flags"))
          .findFirst().orElseThrow();
      assertThat(flags.table().rows()).extracting(r -> r.get(0), r -> r.get(4)).containsExactly(
          org.assertj.core.groups.Tuple.tuple("stale", "chat:acme:c1"),
          org.assertj.core.groups.Tuple.tuple("cross-tenant", "docs:globex:d9"));
    }
  }
}
