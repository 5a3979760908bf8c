package io.memtrace.collector.mcp;

import io.memtrace.collector.Visible;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Report;
import io.memtrace.collector.reader.ReportRequest;
import io.memtrace.collector.reader.Section;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code memory_overview}: the report's headline in a few hundred tokens, from {@code StoreReader#headline}: the
 * sections it prints of the report {@code report} and {@code /api/report} give, asked alone. The store's extent,
 * namespaces, hot, never-read and no-TTL keys, reads that found nothing after a write, wasted writes, memory health
 * per store, and model calls with the records flagged stale or another tenant's. Each list shows its first {@link #ROWS} and says how many there are.
 */
final class MemoryOverviewTool extends Tool {

  static final int ROWS = 5;

  private final ToolContext context;

  MemoryOverviewTool(ToolContext context) {
    super("memory_overview",
        "Start here. The headline of memtrace's report on the application's memory, in a few hundred tokens: the "
            + "spans and services stored, memory stores and namespaces, hot keys, keys written and never read, keys with "
            + "no TTL, reads that found nothing after a write (and why), wasted writes, each store's health, and model "
            + "calls with stale or cross-tenant records. Then use find_traces to find the trace to look at.",
        Schema.object(Schema.properties(
            "since", Schema.string("Only spans that started at or after this time: RFC 3339 or relative (-1h, -30m)."),
            "layer", Schema.choice("memory: memory-manager operations and their keys (the default when there are any); "
                + "redis: Redis commands and the keys Redis holds.", "memory", "redis"))));
    this.context = context;
  }

  @Override
  public Question ask(ToolArguments arguments) {
    Instant since = arguments.time("since");
    String layerName = arguments.text("layer");
    Layer layer;
    if (layerName == null) {
      layer = null;
    } else if (layerName.equals("memory") || layerName.equals("redis")) {
      layer = Layer.valueOf(layerName.toUpperCase(Locale.ROOT));
    } else {
      throw arguments.problem("layer is memory or redis, not " + Visible.text(layerName));
    }
    return reader -> {
      Report report = reader.headline(new ReportRequest(since, 6, layer, context.tenant()));
      StringBuilder out = new StringBuilder();
      out.append("memory overview of ").append(reader.describe()).append(since == null ? "" : ", spans since " + since)
          .append("; analysing ").append(report.layer()).append('\n');
      if (reader.pendingSpans() > 0) {
        out.append("note: ").append(reader.pendingSpans()).append(" acknowledged spans were not loaded yet\n");
      }
      for (Section s : report.sections()) {
        String line = line(s);
        if (line != null) {
          out.append(line).append('\n');
        }
      }
      out.append("next: find_traces (by key, namespace, service, errors or conversation), then trace_memory; "
          + "key_timeline explains one record\n");
      return Visible.lines(out.toString());
    };
  }

  private static String line(Section s) {
    ResultTable t = s.table();
    Map<String, Object> totals = s.totals();
    return switch (s.id()) {
      case "overview" -> t.size() == 0 ? null : "store: " + t.value(0, "spans") + " spans, " + t.value(0, "traces")
          + " traces, services " + t.value(0, "services") + ", " + t.value(0, "first_span") + " to "
          + t.value(0, "last_span") + " UTC, " + t.value(0, "errors") + " errors";
      case "namespaces" -> list("namespaces by operations", t, null,
          i -> t.value(i, "namespace") + " " + t.value(i, "operation_count"));
      case "hot_keys" -> list("hot keys", t, null, i -> key(t, i) + " " + t.value(i, "accesses") + " accesses ("
          + t.value(i, "reads") + " reads, " + t.value(i, "writes") + " writes)");
      case "written_never_read", "no_ttl" -> list(s.id().equals("no_ttl") ? "keys with no TTL"
          : "keys written and never read", t, totals.get("keys"), i -> key(t, i));
      case "misses_after_write" -> list("reads that found nothing after a write (expired " + totals.get("expired")
          + ", evicted " + totals.get("evicted") + ", after a delete " + totals.get("after_delete") + ", unknown "
          + totals.get("unknown") + ")", t, null, i -> key(t, i) + " in trace " + t.value(i, "read_trace_id") + ": "
          + t.value(i, "cause"));
      case "wasted_writes" -> totals.get("writes") == null ? null : list("wasted writes: " + totals.get("wasted")
          + " of " + totals.get("writes") + " never read (overwritten " + totals.get("overwritten") + ", deleted "
          + totals.get("deleted") + ", expired " + totals.get("expired") + "); by namespace", wasted(t), null,
          i -> t.value(i, "namespace") + " " + t.value(i, "wasted") + " of " + t.value(i, "writes"));
      case "memory_health" -> list("memory health per store", t, null, i -> t.value(i, "name") + ": "
          + t.value(i, "operations") + " ops, reads per write " + t.value(i, "read_write_ratio") + ", never read "
          + t.value(i, "never_read") + ", empty searches " + t.value(i, "empty_searches") + ", unchanged rewrites "
          + t.value(i, "unchanged_rewrites") + ", N+1 calls " + t.value(i, "n_plus_one_calls"));
      case "model_calls" -> totals.get("calls") == null ? null : list("model calls: " + totals.get("calls")
          + " calls in " + totals.get("conversations") + " conversations, " + totals.get("linked_calls")
          + " with their memory linked, " + totals.get("stale_contexts") + " stale contexts, "
          + totals.get("cross_tenant_reads") + " cross-tenant reads; by conversation", t, null,
          i -> t.value(i, "conversation") + " (" + t.value(i, "service") + ") " + t.value(i, "calls") + " calls, "
              + t.value(i, "records") + " records, memory share " + t.value(i, "memory_share"));
      case "model_call_flags" -> t.size() == 0 ? null : list("flagged model-call records", t, null, i -> row(t, i));
      default -> null;
    };
  }

  /** The namespaces that wasted any write: the others say nothing an assistant needs. */
  private static ResultTable wasted(ResultTable t) {
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      Object wasted = t.value(i, "wasted");
      if (wasted instanceof Number n && n.longValue() > 0) {
        rows.add(t.rows().get(i));
      }
    }
    return new ResultTable(t.columns(), rows, false);
  }

  private static String key(ResultTable t, int i) {
    Object ns = t.value(i, "namespace");
    return t.value(i, "key") + (ns == null || ns.toString().isEmpty() ? "" : " (" + ns + ")");
  }

  private static String row(ResultTable t, int i) {
    List<String> cells = new ArrayList<>();
    for (ResultTable.Column c : t.columns()) {
      Object v = t.value(i, c.name());
      if (v != null) {
        cells.add(c.name() + "=" + v);
      }
    }
    return String.join(" ", cells);
  }

  /** {@code title: N: a; b; c (and K more)}, the first {@link #ROWS} rows; null for an empty list without a count. */
  private static String list(String title, ResultTable t, Object count, Function<Integer, String> item) {
    long all = count instanceof Number n ? n.longValue() : t.size();
    if (all == 0 && t.size() == 0) {
      return count == null ? null : title + ": none";
    }
    List<String> items = new ArrayList<>();
    for (int i = 0; i < Math.min(ROWS, t.size()); i++) {
      items.add(item.apply(i));
    }
    long more = all - items.size();
    return title + (count == null ? "" : " (" + all + ")") + ": " + String.join("; ", items)
        + (more > 0 ? " (and " + more + " more)" : "");
  }
}
