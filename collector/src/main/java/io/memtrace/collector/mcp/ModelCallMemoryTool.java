package io.memtrace.collector.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.Visible;
import io.memtrace.collector.lineage.ReadLineage;
import io.memtrace.collector.provenance.ContextLine;
import io.memtrace.collector.provenance.ContextRecord;
import io.memtrace.collector.provenance.ContextSource;
import io.memtrace.collector.provenance.ModelCall;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.ViewQuestion;
import io.memtrace.collector.timeline.KeyRecord;
import io.memtrace.collector.web.ProvenanceApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code model_call_memory}: what each model call of a trace was given, as {@code GET /api/provenance} answers it (the
 * same {@link StoreReader#modelCalls} question over the same time range, the trace's first and last span start; with
 * {@code format: json} the same {@code calls}), or as text: each record, the read that found it, the write that made
 * it, its age, and the stale and cross-tenant marks.
 */
final class ModelCallMemoryTool extends Tool {

  static final int DEFAULT_LIMIT = 30;
  static final int MAX_LIMIT = 200;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ToolContext context;

  ModelCallMemoryTool(ToolContext context) {
    super("model_call_memory",
        "What the model calls of one trace were given from memory: for each call (model, conversation, input tokens), "
            + "each record that went into its prompt, the read that found it, the write that made it (service, task, "
            + "trace), its age, whether it was stale (rewritten before the call) or another tenant's. A call whose span "
            + "links to no memory spans says its memory is unknown. Use it when the question is what the model saw; then "
            + "key_timeline on a record's key tells that record's whole story. The same answer as /api/provenance.",
        Schema.object(Schema.properties(
            "trace_id", Schema.string("The trace holding the model calls: 32 hex digits."),
            "call", Schema.string("Only the model call of this span id (16 hex digits)."),
            "format", Schema.choice("text (default) or json (the provenance API's calls).", "text", "json"),
            "limit", Schema.limit("The most records shown per call", DEFAULT_LIMIT, MAX_LIMIT)), "trace_id"));
    this.context = context;
  }

  @Override
  public Question ask(ToolArguments arguments) {
    String trace = arguments.traceId("trace_id");
    if (trace == null || trace.length() != 32) {
      throw arguments.problem("trace_id is a whole trace id of 32 hex digits"
          + (trace == null ? "" : ", not the prefix " + trace + " (find_traces gives whole ids)"));
    }
    String call = arguments.spanId("call");
    String format = arguments.text("format") == null ? "text" : arguments.text("format");
    if (!format.equals("text") && !format.equals("json")) {
      throw arguments.problem("format is text or json, not " + Visible.text(format));
    }
    int limit = arguments.limit("limit", DEFAULT_LIMIT, MAX_LIMIT);
    return reader -> {
      List<ModelCall> calls = calls(reader, trace, context, arguments);
      if (call != null) {
        calls = calls.stream().filter(c -> c.spanId().equals(call)).toList();
        if (calls.isEmpty()) {
          throw arguments.problem("trace " + trace + " has no model call with span id " + call);
        }
      }
      if (calls.isEmpty()) {
        return "trace " + trace + " has no model call (a span whose gen_ai.operation.name is chat, text_completion or "
            + "generate_content)\n";
      }
      return format.equals("json") ? json(calls, limit) : text(calls, limit);
    };
  }

  /** The model calls of the trace, over the time range the web view asks them for: its first and last span start. */
  static List<ModelCall> calls(StoreReader reader, String trace, ToolContext context, ToolArguments arguments) {
    ResultTable spans = reader.view(new ViewQuestion(ViewQuestion.Kind.TRACE, Map.of("trace", trace))).table();
    if (spans.size() == 0) {
      throw arguments.problem("no trace " + trace + " in " + reader.describe() + " (find_traces lists the traces)");
    }
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    for (int i = 0; i < spans.size(); i++) {
      from = Math.min(from, spans.number(i, "start_us"));
      to = Math.max(to, spans.number(i, "start_us"));
    }
    return reader.modelCalls(trace, from, to, context.tenant());
  }

  private static String json(List<ModelCall> calls, int limit) {
    List<ModelCall> shown = calls.stream().map(c -> cut(c, limit)).toList();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("calls", ProvenanceApi.calls(shown));
    long cut = calls.stream().mapToLong(c -> Math.max(0, c.records().size() - limit)).sum();
    if (cut > 0) {
      answer.put("cut", cut + " records past limit " + limit + " left out (raise limit, at most " + MAX_LIMIT + ")");
    }
    try {
      return Visible.json(JSON.writeValueAsString(answer)) + "\n";
    } catch (JsonProcessingException e) {
      throw new CollectorException("could not write the model calls as JSON: " + e.getMessage(), e);
    }
  }

  /** The call with at most {@code limit} records, the first ones of its sources in order. */
  private static ModelCall cut(ModelCall call, int limit) {
    if (call.records().size() <= limit) {
      return call;
    }
    int[] left = {limit};
    List<ContextSource> sources = call.sources().stream().map(s -> {
      List<ContextRecord> kept = s.records().subList(0, Math.min(left[0], s.records().size()));
      left[0] -= kept.size();
      return new ContextSource(s.traceId(), s.spanId(), s.name(), s.service(), s.operation(), s.source(),
          s.linkedRecords(), s.found(), s.startMicros(), s.tenant(), kept);
    }).toList();
    return new ModelCall(call.traceId(), call.spanId(), call.name(), call.service(), call.startMicros(), call.model(),
        call.conversationId(), call.inputTokens(), call.contextRecords(), call.promptShare(), call.linked(), sources);
  }

  private static String text(List<ModelCall> calls, int limit) {
    StringBuilder out = new StringBuilder();
    int n = 0;
    for (ModelCall call : calls) {
      n++;
      out.append("model call ").append(n).append(" of ").append(calls.size()).append(": ").append(call.name())
          .append(" · span ").append(call.spanId()).append(" · ").append(call.service()).append(" · ")
          .append(KeyRecord.time(call.startMicros()));
      if (call.conversationId() != null) {
        out.append(" · conversation ").append(call.conversationId());
      }
      if (call.inputTokens() != null) {
        out.append(" · ").append(call.inputTokens()).append(" input tokens");
      }
      out.append('\n');
      out.append("  ").append(call.linked() ? "memory: " + call.records().size() + " records from "
          + call.sources().size() + " memory spans" + (call.promptShare() == null ? ""
          : String.format(java.util.Locale.ROOT, ", %.0f%% of the prompt", call.promptShare() * 100))
          : ContextLine.of(call))
          .append(call.staleRecords() > 0 ? ", " + call.staleRecords() + " stale" : "")
          .append(call.crossTenantReads() > 0 ? ", " + call.crossTenantReads() + " cross-tenant" : "")
          .append(call.oldestMillis() == null ? "" : ", oldest " + ReadLineage.age(call.oldestMillis())).append('\n');
      int shown = 0;
      for (ContextSource source : call.sources()) {
        out.append("  from ").append(source.name()).append(source.source() == null ? "" : " (" + source.source() + ")")
            .append(" span ").append(source.spanId()).append(source.found() ? "" : ", not in the store").append('\n');
        for (ContextRecord r : source.records()) {
          if (shown++ >= limit) {
            break;
          }
          out.append("    ").append(ContextLine.record(r, source))
              .append(r.readSpanId() == null ? "" : "; read by " + r.command() + " span " + r.readSpanId())
              .append(r.writeTraceId() == null ? "" : "; written in trace " + r.writeTraceId()).append('\n');
        }
      }
      if (call.records().size() > limit) {
        out.append("  cut: ").append(limit).append(" of ").append(call.records().size())
            .append(" records shown (raise limit, at most ").append(MAX_LIMIT).append(")\n");
      }
    }
    return Visible.lines(out.toString());
  }
}
