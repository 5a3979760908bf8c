package io.memtrace.collector.embedded;

import io.memtrace.collector.provenance.ContextRecord;
import io.memtrace.collector.provenance.ContextSource;
import io.memtrace.collector.provenance.ModelCall;
import io.memtrace.collector.provenance.Provenance;
import io.memtrace.collector.provenance.TenantRule;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Section;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's "model calls and their memory": per service and conversation, the calls, the memory's share of their
 * input tokens, the oldest value a prompt used, stale contexts and cross-tenant reads; then the records that were
 * stale or another tenant's, each with its call's trace, so that one can be opened. The answers are
 * {@link Provenance}'s.
 */
public final class ModelCallSections {

  /** Flagged records listed at most. */
  static final int LIST = 20;
  /** Conversations listed at most. */
  static final int CONVERSATIONS = 20;

  private static final List<ResultTable.Column> BY_CONVERSATION = columns("service:VARCHAR", "conversation:VARCHAR",
      "calls:BIGINT", "linked_calls:BIGINT", "input_tokens:BIGINT", "memory_share:DOUBLE", "records:BIGINT",
      "oldest_value_ms:DOUBLE", "stale_contexts:BIGINT", "cross_tenant_reads:BIGINT");
  private static final List<ResultTable.Column> FLAGGED = columns("flag:VARCHAR", "trace_id:VARCHAR",
      "model_span_id:VARCHAR", "service:VARCHAR", "key:VARCHAR", "writer_service:VARCHAR", "rewritten_by:VARCHAR",
      "call_tenant:VARCHAR", "record_tenant:VARCHAR");

  private ModelCallSections() {
  }

  /** @param fromMicros only calls that started then or later; null for all */
  static List<Section> sections(SqlSource source, Long fromMicros, TenantRule rule) {
    return sections(Provenance.between(source, fromMicros, null, rule), rule);
  }

  public static List<Section> sections(List<ModelCall> calls, TenantRule rule) {
    Map<List<String>, Totals> groups = new LinkedHashMap<>();
    List<List<Object>> flagged = new ArrayList<>();
    long stale = 0;
    long cross = 0;
    for (ModelCall call : calls) {
      groups.computeIfAbsent(Arrays.asList(call.service(), call.conversationId()), k -> new Totals()).add(call);
      stale += call.staleRecords();
      cross += call.crossTenantReads();
      for (ContextSource s : call.sources()) {
        for (ContextRecord r : s.records()) {
          if ((r.stale() || r.crossTenant()) && flagged.size() < LIST) {
            flagged.add(Arrays.asList(r.stale() && r.crossTenant() ? "stale, cross-tenant" : r.stale() ? "stale"
                : "cross-tenant", call.traceId(), call.spanId(), call.service(), r.key(), r.writeService(), r.staleBy(),
                s.tenant(), r.tenant()));
          }
        }
      }
    }
    // the conversations with the most flags, then the most calls: a fleet has millions of them, and the report listed
    // every one (10,001 rows, 2 MB of JSON, for ModelCallProvenanceIT's 10,002 calls)
    List<Map.Entry<List<String>, Totals>> ranked = new ArrayList<>(groups.entrySet());
    ranked.sort(Comparator.comparingLong((Map.Entry<List<String>, Totals> e) -> -(e.getValue().stale + e.getValue().cross))
        .thenComparingLong(e -> -e.getValue().calls)
        .thenComparing(e -> String.valueOf(e.getKey().get(0)))
        .thenComparing(e -> String.valueOf(e.getKey().get(1))));
    List<List<Object>> rows = new ArrayList<>();
    for (Map.Entry<List<String>, Totals> e : ranked.subList(0, Math.min(CONVERSATIONS, ranked.size()))) {
      Totals t = e.getValue();
      rows.add(Arrays.asList(e.getKey().get(0), e.getKey().get(1), t.calls, t.linked, t.inputTokens,
          t.tokensWithShare == 0 ? null : round(t.memoryTokens / t.tokensWithShare), t.records, t.oldest, t.stale,
          t.cross));
    }
    String listed = groups.size() > CONVERSATIONS ? " The " + CONVERSATIONS + " of " + groups.size()
        + " with the most stale contexts and cross-tenant reads, then the most calls; the totals count them all." : "";
    String note = calls.isEmpty() ? "No model calls (spans with gen_ai.operation.name chat, text_completion or "
        + "generate_content) in the store." : "Per service and conversation." + listed + " memory_share: the share of input tokens "
        + "that came from memory, as the model spans' memtrace.context.prompt_share says. A stale context is a record "
        + "whose key another trace wrote between the read and the call; a cross-tenant read, a record of another tenant "
        + "than the memory call's" + (rule.any() ? "." : " (no tenant rule configured: memory-state.tenant).")
        + " A call without span links (from an instrumentation that adds none) counts as a call, its memory unknown.";
    Section byConversation = new Section("model_calls", "Model calls and their memory", note,
        new ResultTable(BY_CONVERSATION, rows, false))
        .with("calls", (long) calls.size())
        .with("conversations", (long) groups.size())
        .with("linked_calls", calls.stream().filter(ModelCall::linked).count())
        .with("stale_contexts", stale)
        .with("cross_tenant_reads", cross);
    Section records = new Section("model_call_flags", "Stale and cross-tenant records in model calls",
        flagged.isEmpty() ? null : "First " + flagged.size() + "; each row names its call's trace.",
        new ResultTable(FLAGGED, flagged, false));
    return List.of(byConversation, records);
  }

  private static Double round(double share) {
    return Math.round(share * 10_000) / 10_000.0;
  }

  private static List<ResultTable.Column> columns(String... specs) {
    return Arrays.stream(specs).map(s -> new ResultTable.Column(s.substring(0, s.indexOf(':')), s.substring(s.indexOf(':') + 1)))
        .toList();
  }

  /** One service and conversation's calls. */
  private static final class Totals {
    long calls;
    long linked;
    long inputTokens;
    double memoryTokens;
    long tokensWithShare;
    long records;
    Double oldest;
    long stale;
    long cross;

    void add(ModelCall call) {
      calls++;
      linked += call.linked() ? 1 : 0;
      long tokens = call.inputTokens() == null ? 0 : call.inputTokens();
      inputTokens += tokens;
      if (call.promptShare() != null && tokens > 0) {
        memoryTokens += call.promptShare() * tokens;
        tokensWithShare += tokens;
      }
      records += call.records().size();
      Double age = call.oldestMillis();
      if (age != null && (oldest == null || age > oldest)) {
        oldest = age;
      }
      stale += call.staleRecords();
      cross += call.crossTenantReads();
    }
  }
}
