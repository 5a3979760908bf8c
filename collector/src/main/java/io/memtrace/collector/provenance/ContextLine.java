package io.memtrace.collector.provenance;

import io.memtrace.collector.lineage.ReadLineage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A model call's memory in one line, for the terminal ({@code traces}): records, keys, writers, ages and marks. */
public final class ContextLine {

  private ContextLine() {
  }

  /**
   * {@code memory: 3 records, 40% of the prompt: chat:acme:c1 by ingest.load (ingester) 109 ms old, STALE: rewritten
   * by other-svc; ...}, or why the memory is unknown.
   */
  public static String of(ModelCall call) {
    if (!call.linked()) {
      return "memory: unknown (the span links to no memory spans; memtrace's agent adds them)";
    }
    List<ContextRecord> records = call.records();
    StringBuilder line = new StringBuilder("memory: ").append(records.size()).append(records.size() == 1 ? " record" : " records");
    if (call.promptShare() != null) {
      line.append(String.format(Locale.ROOT, ", %.0f%% of the prompt", call.promptShare() * 100));
    }
    long missing = call.sources().stream().filter(s -> !s.found()).count();
    if (missing > 0) {
      line.append(", ").append(missing).append(missing == 1 ? " linked memory span" : " linked memory spans")
          .append(" not in the store");
    }
    List<String> parts = new ArrayList<>();
    for (ContextSource source : call.sources()) {
      for (ContextRecord r : source.records()) {
        parts.add(record(r, source));
      }
    }
    if (!parts.isEmpty()) {
      line.append(": ").append(String.join("; ", parts));
    }
    return line.toString();
  }

  public static String record(ContextRecord r, ContextSource source) {
    StringBuilder out = new StringBuilder(r.key());
    if ("seen".equals(r.writer())) {
      out.append(" by ").append(r.writerTask() != null ? r.writerTask() : "?").append(" (").append(r.writeService())
          .append(")");
      if (r.ageMillis() != null) {
        out.append(' ').append(ReadLineage.age(r.ageMillis())).append(" old");
      }
    } else if ("compressed".equals(r.writer())) {
      out.append(", writer compressed by retention");
    } else if ("script".equals(r.writer())) {
      out.append(", writer unknown (a script ran on it)");
    } else if (r.writer() != null) {
      out.append(", writer not in the store");
    } else if ("returned".equals(r.layer())) {
      out.append(", returned by the search");
    }
    if (r.stale()) {
      out.append(", STALE: rewritten by ").append(r.staleBy()).append(" before the call");
    }
    if (r.crossTenant()) {
      out.append(", CROSS-TENANT: ").append(r.tenant()).append("'s, the call is ").append(source.tenant()).append("'s");
    }
    return out.toString();
  }
}
