package io.memtrace.collector.embedded;

import io.memtrace.collector.health.HealthScope;
import io.memtrace.collector.health.HealthSections;
import io.memtrace.collector.health.RecordPattern;
import io.memtrace.collector.provenance.TenantRule;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Report;
import io.memtrace.collector.reader.Section;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the report's trace and key analyses and the metrics summary as read-only SQL, so the same
 * report comes from a running server or from a stopped store.
 */
public final class ReportBuilder {

  static final int TOP = 10;
  static final int LIST = 20;
  /** Namespaces named in a key list's counts per namespace; the rest are summed. */
  static final int NAMESPACES = 20;
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
      .withZone(ZoneOffset.UTC);

  private final SqlSource source;
  private final String since;
  private final int windows;
  private final Layer layer;
  private final SpanTable spans;
  /** What the sections of the layer read (see {@link SpanTable}). */
  private final String from;
  /** When the report starts, for the model calls' section; null for all. */
  private final Instant sinceInstant;
  private TenantRule tenant = TenantRule.NONE;
  private RecordPattern records = RecordPattern.defaults();
  /** Whether the sections over the whole store read the rollups kept at compaction ({@link ReportRollups}). */
  private final boolean rolled;
  private final SpanSections spanSections;

  /**
   * @param since only spans that started at or after this instant; null for all
   * @param layer the spans analysed; null to {@link Layer#detect} them
   */
  public ReportBuilder(SqlSource source, Instant since, int windows, Layer layer) {
    this.source = source;
    this.since = since == null ? "" : " AND start_time >= TIMESTAMP '" + UTC.format(since) + "'";
    this.sinceInstant = since;
    this.windows = Math.max(2, windows);
    this.spans = SpanTable.of(source);
    this.layer = layer != null ? layer : KeySql.detect(source, spans.of(Layer.MEMORY));
    this.from = spans.of(this.layer);
    this.rolled = this.since.isEmpty() && ReportRollups.kept(source);
    this.spanSections = new SpanSections(source, this.layer, spans, from, this.since, rolled);
  }

  /** The tenant rule the model calls' section flags cross-tenant reads by (memory-state.tenant). */
  public ReportBuilder tenantRule(TenantRule rule) {
    this.tenant = rule;
    return this;
  }

  /** Which Redis keys are one record, for the TTL truth's drifting TTLs. */
  public ReportBuilder recordPattern(RecordPattern pattern) {
    this.records = pattern;
    return this;
  }

  /** The layer analysed, as a phrase. */
  public String layer() {
    return layer.description();
  }

  public List<Section> build() {
    List<Section> sections = new ArrayList<>();
    sections.add(spanSections.overview());
    sections.add(spanSections.slowest());
    Map<String, Long> statements = statementCounts();
    sections.add(spanSections.largest(statements));
    sections.add(spanSections.byNamespace());
    String keyCtes = keyCtes();
    sections.addAll(keySections(keyCtes, statements));
    sections.addAll(KeyspaceGrowth.sections(source, since, windows));
    sections.addAll(LineageSections.sections(source, layer, since));
    sections.addAll(healthSections(keyCtes, sections));
    sections.addAll(modelCalls());
    sections.add(spanSections.latency());
    sections.add(spanSections.cacheAndErrors());
    sections.add(spanSections.compressed());
    sections.add(MetricsSummary.health(source));
    return sections;
  }

  /**
   * The sections of the report's headline ({@link Report#HEADLINE}, what {@code memory_overview} prints), each asked as
   * {@link #build} asks it, in its order; the others (value ages, growth, latency, the TTL truth, ...) are not asked.
   */
  public List<Section> headline() {
    List<Section> sections = new ArrayList<>();
    sections.add(spanSections.overview());
    Map<String, Long> statements = statementCounts();
    sections.add(spanSections.byNamespace());
    String keyCtes = keyCtes();
    sections.addAll(keyLists(keyCtes, statements));
    sections.add(LineageSections.misses(source, layer, since));
    ResultTable wasted = WastedWrites.counts(source, layer, since, sections);
    sections.add(HealthSections.health(health(keyCtes), tenant.any(), neverRead(wasted)));
    sections.addAll(modelCalls());
    return sections.stream().filter(s -> Report.HEADLINE.contains(s.id())).toList();
  }

  /** The report's keyspace growth sections, asked as {@link #build} asks them; the others are not asked. */
  public List<Section> growthSections() {
    return KeyspaceGrowth.sections(source, since, windows);
  }

  /**
   * The report's lineage sections (value age at read, reads that found nothing after a write, writes never read), each
   * asked as {@link #build} asks it, in its order; the others are not asked.
   */
  public List<Section> lineageSections() {
    List<Section> sections = new ArrayList<>(LineageSections.sections(source, layer, since));
    WastedWrites.counts(source, layer, since, sections);
    return sections;
  }

  /**
   * The sections that the rollups kept at compaction answer over the whole store ({@link ReportRollups}), in the
   * report's order: the overview, the slowest operations, the largest values, cache and errors, compressed spans.
   */
  List<Section> rolledSections() {
    return List.of(spanSections.overview(), spanSections.slowest(), spanSections.largest(statementCounts()),
        spanSections.cacheAndErrors(), spanSections.compressed());
  }

  /**
   * The sections that the totals per key kept at compaction answer over the whole store ({@link KeyTotals}), in the
   * report's order: the hot keys, the key lists and namespace growth.
   */
  List<Section> keySections() {
    return keySections(keyCtes(), statementCounts());
  }

  /**
   * The sections memory health builds over the memory calls, in the report's order: the TTL truth, memory health and
   * the Redis commands per memory call (the wasted writes' counts asked first, as the report asks them).
   */
  List<Section> healthSections() {
    return healthSections(keyCtes(), new ArrayList<>());
  }

  /** The health sections; the wasted writes' section, which they count writes never read by, is added to {@code out}. */
  private List<Section> healthSections(String keyCtes, List<Section> out) {
    ResultTable wasted = WastedWrites.counts(source, layer, since, out);
    return HealthSections.of(health(keyCtes), records, tenant.any(), neverRead(wasted));
  }

  /** The memory layer's wasted writes per store, which are memory health's writes never read; null to count them. */
  private Map<String, Long> neverRead(ResultTable wasted) {
    // counted once, by the wasted writes, when they are the memory layer's and no tenant rule splits them
    if (wasted == null || layer != Layer.MEMORY || tenant.any()) {
      return null;
    }
    Map<String, Long> neverRead = new java.util.LinkedHashMap<>();
    for (int i = 0; i < wasted.size(); i++) {
      neverRead.put(wasted.text(i, "namespace"), wasted.number(i, "wasted"));
    }
    return neverRead;
  }

  private EmbeddedHealth health(String keyCtes) {
    return new EmbeddedHealth(new HealthScope(source, layer, keyCtes, tenant), spans.of(Layer.MEMORY), spans.from(),
        since);
  }

  private List<Section> modelCalls() {
    return ModelCallSections.sections(source, sinceInstant == null ? null
        : sinceInstant.getEpochSecond() * 1_000_000 + sinceInstant.getNano() / 1000, tenant);
  }

  /** The CTEs the key sections and memory health group keys by. */
  private String keyCtes() {
    // the totals per key kept at compaction cover the whole store: a report since a time groups the spans
    String keptTotals = since.isEmpty() ? KeyTotals.keptView(source) : null;
    return KeySql.keyCtes(layer, from, since, keptTotals != null, KeyTotals.tableAlone(keptTotals));
  }

  private List<Section> keySections(String keyCtes, Map<String, Long> statements) {
    List<Section> sections = new ArrayList<>(keyLists(keyCtes, statements));
    sections.add(NamespaceGrowth.section(source, keyCtes, windows));
    return sections;
  }

  /** The hot keys and the key lists, from one aggregate over the keys ({@link KeyAggregates}). */
  private List<Section> keyLists(String keyCtes, Map<String, Long> statements) {
    List<Section> sections = new ArrayList<>();
    KeyAggregates keys = new KeyAggregates(source, keyCtes);
    sections.add(StatementKeyNotes.keySources(new Section("hot_keys", "Hot keys", "Most accessed keys.",
        keys.part("hot", "key", "namespace", "accesses", "reads", "writes")), statements));
    for (String[] list : KeyAggregates.LISTS) {
      Section section = keyList(keys, list[0], list[1]);
      section = StatementKeyNotes.unknownKeys(section, statements);
      sections.add(StatementKeyNotes.ttlUnknown(section, list[0].equals("no_ttl") ? keys.ttlUnknown() : 0));
    }
    return sections;
  }

  /**
   * Where the Redis layer's keys came from: {@code agent} (memtrace's agent), {@code statement} (read from the
   * statement of another instrumentation's span, StatementKeys), {@code hidden} (spans whose statement hid the key),
   * and {@code size_unknown} (writes whose statement hid the value). Empty unless some span was read from a statement.
   */
  private Map<String, Long> statementCounts() {
    Map<String, Long> counts = new java.util.LinkedHashMap<>();
    // asked first: where no span was read from a statement, the column's statistics answer without a scan (the counts
    // over every Redis span took 316 ms at 10M)
    if (layer != Layer.REDIS || source.query("SELECT count(*) AS n FROM (SELECT 1 FROM " + from
        + " WHERE memtrace_derived_from IS NOT NULL" + since + " LIMIT 1)").number(0, "n") == 0) {
      return counts;
    }
    ResultTable rows = source.query("SELECT count(*) FILTER (WHERE memory_key IS NOT NULL AND memtrace_derived_from "
        + "IS NULL) AS agent, count(*) FILTER (WHERE memory_key IS NOT NULL AND memtrace_derived_from IS NOT NULL) "
        + "AS statement, count(*) FILTER (WHERE contains(memtrace_unknown, 'memory.key')) AS hidden, "
        + "count(*) FILTER (WHERE contains(memtrace_unknown, 'memory.value_size')) AS size_unknown "
        + KeySql.layerSpans(layer, from, since));
    for (String name : List.of("agent", "statement", "hidden", "size_unknown")) {
      counts.put(name, rows.number(0, name));
    }
    return counts;
  }

  private static Section keyList(KeyAggregates keys, String id, String title) {
    ResultTable rows = keys.part(id, "key", "namespace", "reads", "writes", "size_bytes", "last_seen");
    // the counts of all matching keys come with the first ones (the same aggregate over all keys)
    Map<String, Long> byNamespace = keys.byNamespace(id);
    long n = byNamespace.values().stream().mapToLong(Long::longValue).sum();
    String note = n > rows.size() ? "First " + rows.size() + " of " + n + "." : null;
    return new Section(id, title, note, rows).with("keys", n).with("by_namespace", byNamespace);
  }
}
