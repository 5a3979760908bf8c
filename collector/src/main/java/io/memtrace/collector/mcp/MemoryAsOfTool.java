package io.memtrace.collector.mcp;

import io.memtrace.collector.Visible;
import io.memtrace.collector.keyspace.MemoryStateConfig;
import io.memtrace.collector.redis.SnapshotEntry;
import io.memtrace.collector.redis.SnapshotFile;
import io.memtrace.collector.snapshots.NamespaceGlobs;
import io.memtrace.collector.travel.AsOf;
import io.memtrace.collector.travel.AsOfRestore;
import io.memtrace.collector.travel.Rebuild;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code memory_as_of}: what namespaces held when a trace began, as {@code restore --as-of} would rebuild them (the
 * same {@link AsOfRestore} plan: the nearest snapshot before that moment and the captured writes after it), with its
 * account of what could not be rebuilt; the keys with their type and TTL, never their values. It never writes to a
 * Redis: the restore itself stays a command a person runs.
 */
final class MemoryAsOfTool extends Tool {

  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 200;

  private final ToolContext context;

  MemoryAsOfTool(ToolContext context) {
    super("memory_as_of",
        "What one or more namespaces held at a moment (when a trace began, or a time), rebuilt as `restore --as-of` "
            + "would rebuild them from the nearest snapshot and the captured writes after it: per namespace how many keys "
            + "were rebuilt exactly, known absent, or not rebuildable and why, and the keys with their type and TTL. Use "
            + "it to see what the agent's memory looked like before a trace ran. It writes nothing: it gives the restore "
            + "command to run, into a scratch Redis, if a person wants the data back.",
        Schema.object(Schema.properties(
            "at", Schema.string("A trace id (the moment it began), or a time: RFC 3339 or relative (-1h)."),
            "namespace", Schema.string("The namespaces, a glob or comma-separated globs (aqe/planner, session:*)."),
            "source_redis", Schema.string("Only the writes to this Redis, host:port (default: any recorded)."),
            "limit", Schema.limit("The most keys listed", DEFAULT_LIMIT, MAX_LIMIT)), "at", "namespace"));
    this.context = context;
  }

  @Override
  public Question ask(ToolArguments arguments) {
    String at = arguments.required("at");
    Instant time = at.matches("[0-9a-fA-F]{8,32}") ? null : arguments.time("at");
    String trace = time == null ? arguments.traceId("at") : null;
    NamespaceGlobs globs = NamespaceGlobs.parse("namespace", arguments.required("namespace"),
        MemoryStateConfig.read(null).namespaceRule());
    String sourceRedis = arguments.text("source_redis");
    int limit = arguments.limit("limit", DEFAULT_LIMIT, MAX_LIMIT);
    return reader -> {
      Instant moment = time != null ? time : AsOf.resolve(trace, reader);
      AsOfRestore.Plan plan = new AsOfRestore.Plan(moment, globs, null, context.dataDir(), sourceRedis, null);
      SnapshotFile base = context.dataDir() == null ? null : AsOfRestore.base(plan);
      Rebuild.Result result = AsOfRestore.rebuild(plan, base, reader);
      StringBuilder out = new StringBuilder();
      out.append("memory as of ").append(moment).append(trace == null ? "" : " (when trace " + trace + " began)")
          .append(", from ").append(base == null ? "no snapshot" : "the snapshot taken at " + base.takenAt())
          .append(" and the writes ").append(reader.describe()).append(" recorded after it\n");
      out.append(result.account().text());
      List<SnapshotEntry> entries = result.entries();
      out.append(entries.size()).append(entries.size() == 1 ? " key" : " keys").append(" at that moment")
          .append(entries.isEmpty() ? "" : " (key, type, TTL left)").append(entries.isEmpty() ? "\n" : ":\n");
      for (SnapshotEntry e : entries.subList(0, Math.min(limit, entries.size()))) {
        out.append("  ").append(Visible.text(e.keyText())).append("  ").append(e.type()).append("  ")
            .append(e.ttlMillis() == null ? "no TTL" : e.ttlMillis() + " ms").append('\n');
      }
      if (entries.size() > limit) {
        out.append("cut: ").append(limit).append(" of ").append(entries.size()).append(" keys listed (raise limit, at "
            + "most ").append(MAX_LIMIT).append(", or narrow namespace)\n");
      }
      out.append("nothing was written; to rebuild these keys into an empty scratch Redis, a person runs: "
          + "memtrace-collector restore --as-of ").append(trace != null ? trace : moment).append(" --namespace '")
          .append(Visible.text(String.join(",", globs.globs()))).append("' --into redis://SCRATCH_HOST:PORT\n");
      return out.toString();
    };
  }
}
