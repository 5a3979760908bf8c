package io.memtrace.collector.mcp;

import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.timeline.TimelineText;
import io.memtrace.collector.versions.KeyVersions;
import io.memtrace.collector.versions.RecordVersions;
import io.memtrace.collector.versions.VersionsText;
import java.util.Map;

/**
 * {@code key_timeline}: one record's life as {@code timeline --key} prints it (the same text, or with
 * {@code format: json} the same JSON as {@code GET /api/keys/{key}/timeline}), from the same {@code StoreReader}
 * question; with {@code versions} its versions with their diffs, as {@code timeline --versions}.
 */
final class KeyTimelineTool extends Tool {

  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;

  KeyTimelineTool() {
    super("key_timeline",
        "One record's whole life, oldest first: every write, read, TTL change and delete by the traced services, and "
            + "Redis's own expiries, evictions and changes made outside the traced services, each with its cause and trace. "
            + "Each read says which write it saw; each read that found nothing says why (deleted, expired, evicted, "
            + "deleted outside, never written, or unknown and what to turn on), and notes say where keyspace "
            + "notifications did not cover the record. Use it to answer 'why did my agent forget X?' once you know the "
            + "key (from find_traces, trace_memory or model_call_memory). The same answer as `memtrace-collector timeline`.",
        Schema.object(Schema.properties(
            "key", Schema.string("The key: a memory manager's key (plan) or a Redis key (notes:plan)."),
            "namespace", Schema.string("Only events of this namespace (memory store or key prefix)."),
            "redis", Schema.string("Only Redis events of this Redis, host:port."),
            "versions", Schema.flag("The record's captured versions with their diffs instead of its events (values are "
                + "shown only where the agent's capture.values kept them)."),
            "format", Schema.choice("text (default, memtrace's timeline text) or json (the timeline API's JSON).", "text",
                "json"),
            "limit", Schema.limit("The newest events (or versions) shown, oldest first", DEFAULT_LIMIT, MAX_LIMIT)),
            "key"));
  }

  @Override
  public Question ask(ToolArguments arguments) {
    String format = arguments.text("format") == null ? "text" : arguments.text("format");
    if (!format.equals("text") && !format.equals("json")) {
      throw arguments.problem("format is text or json, not " + io.memtrace.collector.Visible.text(format));
    }
    TimelineRequest request = new TimelineRequest(arguments.required("key"), arguments.text("namespace"),
        arguments.text("redis"), arguments.limit("limit", DEFAULT_LIMIT, MAX_LIMIT));
    boolean versions = arguments.flag("versions");
    boolean json = format.equals("json");
    return reader -> {
      if (versions) {
        KeyVersions answer = RecordVersions.read(reader, request);
        if (answer.versions().isEmpty()) {
          return "no version of key " + io.memtrace.collector.Visible.text(request.key()) + " in " + reader.describe()
              + "\n";
        }
        return json ? VersionsText.json(answer) : VersionsText.text(answer);
      }
      KeyTimeline timeline = reader.timeline(request);
      if (timeline.events().isEmpty()) {
        return "no event of key " + io.memtrace.collector.Visible.text(request.key()) + " in " + reader.describe()
            + " (a memory manager's key and its Redis key are both looked for; find_traces with key: a glob finds "
            + "keys)\n";
      }
      return json ? TimelineText.json(timeline) : TimelineText.text(timeline);
    };
  }
}
