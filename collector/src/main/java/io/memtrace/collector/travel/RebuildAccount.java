package io.memtrace.collector.travel;

import io.memtrace.collector.Visible;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a rebuild could and could not do, per namespace: the keys rebuilt exactly (to be written), the keys known to
 * be absent at that moment, and the keys that cannot be rebuilt, counted by why with a few named. Said before
 * anything is written.
 */
public final class RebuildAccount {

  /** Keys named per reason in the text. */
  static final int EXAMPLES = 3;

  /** One namespace's figures. */
  public static final class Namespace {
    long exact;
    long absent;
    final Map<KeyFold.Gap, List<String>> gaps = new EnumMap<>(KeyFold.Gap.class);
    final Map<KeyFold.Gap, Long> gapCounts = new EnumMap<>(KeyFold.Gap.class);

    /** Keys rebuilt exactly and present at that moment. */
    public long exact() {
      return exact;
    }

    /** Keys known to be absent at that moment (deleted, expired, evicted). */
    public long absent() {
      return absent;
    }

    /** Keys that cannot be rebuilt. */
    public long notRebuildable() {
      return gapCounts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Keys that cannot be rebuilt, by why in words. */
    public Map<String, Long> byReason() {
      Map<String, Long> out = new TreeMap<>();
      gapCounts.forEach((gap, n) -> out.put(gap.words, n));
      return out;
    }
  }

  private final Map<String, Namespace> namespaces = new TreeMap<>();
  private final List<String> notes = new ArrayList<>();

  void exact(String namespace) {
    of(namespace).exact++;
  }

  void absent(String namespace) {
    of(namespace).absent++;
  }

  void gap(String namespace, KeyFold fold) {
    Namespace ns = of(namespace);
    ns.gapCounts.merge(fold.gap(), 1L, Long::sum);
    List<String> named = ns.gaps.computeIfAbsent(fold.gap(), g -> new ArrayList<>());
    if (named.size() < EXAMPLES) {
      named.add(fold.key + (fold.detail() == null ? "" : ": " + fold.detail()));
    }
  }

  void note(String note) {
    notes.add(note);
  }

  private Namespace of(String namespace) {
    return namespaces.computeIfAbsent(namespace == null ? "(no namespace)" : namespace, n -> new Namespace());
  }

  /** Per namespace, in name order. */
  public Map<String, Namespace> namespaces() {
    return java.util.Collections.unmodifiableMap(namespaces);
  }

  public List<String> notes() {
    return List.copyOf(notes);
  }

  /** Keys that cannot be rebuilt, all namespaces. */
  public long notRebuildable() {
    return namespaces.values().stream().mapToLong(Namespace::notRebuildable).sum();
  }

  /** The account as the terminal shows it, every text made visible. */
  public String text() {
    StringBuilder out = new StringBuilder();
    namespaces.forEach((name, ns) -> {
      out.append("namespace ").append(Visible.text(name)).append(": ").append(ns.exact).append(" key")
          .append(ns.exact == 1 ? "" : "s").append(" rebuilt exactly, ").append(ns.absent)
          .append(" known absent at that moment, ").append(ns.notRebuildable()).append(" not rebuildable\n");
      ns.gapCounts.forEach((gap, n) -> {
        out.append("  ").append(n).append(" ").append(gap.words).append(n > EXAMPLES ? ", e.g." : "").append('\n');
        ns.gaps.get(gap).forEach(k -> out.append("    ").append(Visible.text(k)).append('\n'));
      });
    });
    if (namespaces.isEmpty()) {
      out.append("no key of these namespaces was in the snapshot or changed between it and that moment\n");
    }
    notes.forEach(n -> out.append("note: ").append(Visible.text(n)).append('\n'));
    return out.toString();
  }
}
