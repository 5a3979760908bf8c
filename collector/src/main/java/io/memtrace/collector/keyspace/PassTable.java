package io.memtrace.collector.keyspace;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;

/**
 * A pass as an aligned table on the terminal, for {@code watch} without an output: the biggest
 * namespaces first. Estimates say so: a sampled row's keys, bytes and keys without TTL start with
 * {@code ~}, and the {@code ±} columns give their bounds. Namespaces come from whoever wrote the keys, so control characters are shown
 * as {@code \\uXXXX}, never sent to the terminal.
 */
public final class PassTable implements KeyspaceSink {

  static final int ROWS = 30;

  private final PrintStream out;

  public PassTable(PrintStream out) {
    this.out = out;
  }

  @Override
  public void accept(PassSnapshot snapshot) {
    ServerSample v = snapshot.server();
    StringBuilder b = new StringBuilder();
    b.append(String.format("%s  pass %d  %s%s  %.1f s, %d commands  used_memory %s  keys %s%n", v.redis(), v.passId(),
        v.complete() ? "complete" : "running", v.stale() ? " STALE" : "", v.passSeconds(), v.passCommands(),
        v.usedMemory(), v.keys()));
    if (v.error() != null) {
      b.append("  note: ").append(visible(v.error())).append('\n');
    }
    List<KeyspaceSample> rows = snapshot.samples().stream()
        .sorted(Comparator.comparing((KeyspaceSample s) -> s.bytes() == null ? -1 : s.bytes()).reversed()).toList();
    b.append(String.format("  %-3s %-32s %-8s %9s %8s %14s %10s %9s %10s %10s%n", "db", "namespace", "layer", "keys",
        "± keys", "bytes", "± bytes", "no TTL", "ttl p50 s", "idle p50 s"));
    for (KeyspaceSample s : rows.subList(0, Math.min(ROWS, rows.size()))) {
      String about = s.sampled() ? "~" : "";
      b.append(String.format("  %-3d %-32s %-8s %9s %8d %14s %10s %9s %10s %10s%n", s.db(), visible(s.namespace()),
          s.layer() == null ? "" : s.layer(), about + s.keys(), s.keysError(), (s.bytes() == null ? "" : about) + text(s.bytes()),
          text(s.bytesError()), (s.keysWithoutTtl() == null ? "" : about) + text(s.keysWithoutTtl()), text(s.ttlP50()), text(s.idleP50())));
    }
    if (rows.stream().anyMatch(KeyspaceSample::sampled)) {
      b.append("  ~ estimated from a sample of the database's keys; ± four standard errors\n");
    }
    if (rows.size() > ROWS) {
      b.append("  (").append(rows.size() - ROWS).append(" more namespaces)\n");
    }
    out.print(b);
    out.flush();
  }

  private static String text(Object v) {
    if (v == null) {
      return "-";
    }
    return v instanceof Double d ? String.format("%.0f", d) : v.toString();
  }

  static String visible(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(c -> {
      if (c < 0x20 || c >= 0x7f && c < 0xa0 || c == 0x2028 || c == 0x2029) {
        b.append(String.format("\\u%04x", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.toString();
  }
}
