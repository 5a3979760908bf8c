package io.memtrace.collector.mcp;

import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.TraceRequest;
import io.memtrace.collector.view.CompactTree;
import io.memtrace.collector.view.TraceSpan;
import java.util.List;
import java.util.Map;

/**
 * {@code trace_memory}: one trace's memory operations and Redis commands as a compact tree ({@link CompactTree}),
 * from the same question {@code traces --trace} asks, so each read carries the same lineage line: the write it saw, or
 * why it found nothing; each model call the memory in its prompt.
 */
final class TraceMemoryTool extends Tool {

  static final int DEFAULT_LIMIT = 60;
  static final int MAX_LIMIT = 300;
  static final int DEFAULT_DEPTH = 6;
  static final int MAX_DEPTH = 30;

  private final ToolContext context;

  TraceMemoryTool(ToolContext context) {
    super("trace_memory",
        "One trace's memory operations and the Redis commands under them as a compact tree: each span's start offset, "
            + "name, key, duration and details (namespace, found, size); under each read the write it saw, or why it "
            + "found nothing; under each model call the memory in its prompt (records, writers, ages, stale and "
            + "cross-tenant marks). Use it after find_traces, before key_timeline or model_call_memory. Bounded by depth "
            + "and limit; the last line says what was left out.",
        Schema.object(Schema.properties(
            "trace_id", Schema.string("The trace: 32 hex digits, or the first 8 or more."),
            "depth", Schema.limit("The deepest level of the tree shown, the root being 0", DEFAULT_DEPTH, MAX_DEPTH),
            "limit", Schema.limit("The most spans shown, in tree order", DEFAULT_LIMIT, MAX_LIMIT)), "trace_id"));
    this.context = context;
  }

  @Override
  public Question ask(ToolArguments arguments) {
    String trace = arguments.traceId("trace_id");
    if (trace == null) {
      throw arguments.problem("needs the argument trace_id");
    }
    int depth = arguments.limit("depth", DEFAULT_DEPTH, MAX_DEPTH);
    int limit = arguments.limit("limit", DEFAULT_LIMIT, MAX_LIMIT);
    return reader -> CompactTree.render(one(reader, trace, context, arguments), depth, limit);
  }

  /** The spans of the one trace {@code trace} names; a tool error when it names none or several. */
  static List<TraceSpan> one(StoreReader reader, String trace, ToolContext context, ToolArguments arguments) {
    Map<String, List<TraceSpan>> traces = reader.traces(new TraceRequest(trace, 1, null, context.tenant()));
    List<List<TraceSpan>> found = traces.values().stream().filter(spans -> !spans.isEmpty()).toList();
    if (found.isEmpty()) {
      throw arguments.problem("no trace " + trace + " in " + reader.describe() + " (find_traces lists the traces)");
    }
    if (found.size() > 1) {
      throw arguments.problem(trace + " is the start of " + found.size() + " trace ids; give more of the id");
    }
    return found.get(0);
  }
}
