package io.memtrace.collector.mcp;

import io.memtrace.collector.Visible;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.reader.TracePage;
import io.memtrace.collector.reader.ViewQuestion;
import io.memtrace.collector.timeline.KeyRecord;
import io.memtrace.collector.view.TimelineRenderer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code find_traces}: trace summaries, newest first, from the web view's traces question ({@link ViewQuestion.Kind#TRACES},
 * which every store answers in its own SQL); by a model call's conversation, from the {@code spans} view. Summaries
 * only: an assistant opens one with {@code trace_memory}.
 */
final class FindTracesTool extends Tool {

  static final int DEFAULT_LIMIT = 10;
  static final int MAX_LIMIT = TracePage.PAGE;

  FindTracesTool() {
    super("find_traces",
        "Finds traces, newest first, as one-line summaries (id, start, duration, root span, service, spans, memory "
            + "operations, Redis commands, errors): by service, time range (RFC 3339 or relative such as -1h), key or key "
            + "glob (chat:*), namespace, span name, errors only, or a model call's conversation id. Use it to find the "
            + "trace in which the agent forgot something, then open it with trace_memory. The last line says how to get "
            + "older traces.",
        Schema.object(Schema.properties(
            "service", Schema.string("Only traces with spans of this service.name."),
            "since", Schema.string("Only spans that started at or after this time: RFC 3339 or relative (-1h, -30m, -2d)."),
            "until", Schema.string("Only spans that started before this time: RFC 3339 or relative."),
            "key", Schema.string("Only traces that touched this key, or keys matching this glob (* ? [...])."),
            "namespace", Schema.string("Only traces that touched this namespace (memory store or key prefix)."),
            "operation", Schema.string("Only traces with a span of this name (aqe.memory.retrieve, GET, chat gpt-4o)."),
            "errors", Schema.flag("Only traces with a failed span."),
            "conversation", Schema.string("Only traces with a model call of this gen_ai.conversation.id."),
            "limit", Schema.limit("The most traces listed", DEFAULT_LIMIT, MAX_LIMIT))));
  }

  @Override
  public Question ask(ToolArguments arguments) {
    Instant since = arguments.time("since");
    Instant until = arguments.time("until");
    int limit = arguments.limit("limit", DEFAULT_LIMIT, MAX_LIMIT);
    String conversation = arguments.text("conversation");
    if (conversation != null) {
      return new ConversationTraces(conversation, arguments.text("service"), since, until, limit)::answer;
    }
    Map<String, String> params = new HashMap<>();
    put(params, "service", arguments.text("service"));
    put(params, "key", arguments.text("key"));
    put(params, "ns", arguments.text("namespace"));
    put(params, "name", arguments.text("operation"));
    if (arguments.flag("errors")) {
      params.put("errors", "1");
    }
    if (since != null) {
      long seconds = Math.max(1, (long) Math.ceil(Duration.between(since, arguments.now()).toMillis() / 1000.0));
      params.put("range", Long.toString(seconds));
    }
    if (until != null) {
      params.put("before", Long.toString(micros(until)));
    }
    ViewQuestion question = new ViewQuestion(ViewQuestion.Kind.TRACES, params);
    return reader -> {
      ResultTable page = reader.view(question).table();
      if (page.size() == 0) {
        return "no trace matches in " + reader.describe() + "\n";
      }
      StringBuilder out = new StringBuilder();
      int shown = Math.min(limit, page.size());
      out.append(shown).append(shown == 1 ? " trace" : " traces").append(", newest first, times UTC:\n");
      for (int i = 0; i < shown; i++) {
        out.append(page.text(i, "trace_id")).append("  ").append(KeyRecord.time(page.number(i, "start_us")))
            .append("  ").append(TimelineRenderer.duration(page.decimal(i, "duration_ms") == null ? 0
                : page.decimal(i, "duration_ms")))
            .append("  ").append(Visible.text(String.valueOf(page.text(i, "root")))).append(" · ")
            .append(Visible.text(String.valueOf(page.text(i, "service"))))
            .append(" · ").append(page.number(i, "spans")).append(" spans, ").append(page.number(i, "memory_ops"))
            .append(" memory ops, ").append(page.number(i, "redis_commands")).append(" Redis commands")
            .append(page.number(i, "errors") > 0 ? ", " + page.number(i, "errors") + " errors" : "").append('\n');
      }
      if (page.size() > shown) {
        long oldest = page.number(shown - 1, "latest_us");
        out.append("more: ask again with until=").append(KeyRecord.time(oldest))
            .append(" (and the same filters) for older traces\n");
      }
      return out.toString();
    };
  }

  private static void put(Map<String, String> params, String name, String value) {
    if (value != null) {
      params.put(name, value);
    }
  }

  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }
}
