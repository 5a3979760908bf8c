package io.memtrace.collector.embedded;

import io.memtrace.collector.reader.Section;
import java.util.Map;

/**
 * What a report's key sections say about the keys read from other instrumentations' statements (StatementKeys):
 * where the keys came from, and the keys, sizes and TTLs those statements hid, which are unknown, not absent. The
 * counts are {@link ReportBuilder}'s statement counts ({@code agent}, {@code statement}, {@code hidden},
 * {@code size_unknown}); the embedded store's report and the ClickHouse one add the same notes.
 */
public final class StatementKeyNotes {

  private StatementKeyNotes() {
  }

  /** The hot keys with where their keys came from (the statement counts), when some came from statements. */
  public static Section keySources(Section hot, Map<String, Long> counts) {
    long statement = counts.getOrDefault("statement", 0L);
    long hidden = counts.getOrDefault("hidden", 0L);
    if (statement + hidden == 0) {
      return hot;
    }
    String note = hot.note() + " Keys of " + counts.get("agent") + " spans from memtrace's agent and " + statement
        + " read from other instrumentations' statements (memtrace.derived.from)"
        + (hidden > 0 ? "; " + hidden + " spans whose statement hid the key are not counted: their key is unknown." : ".");
    Map<String, Long> sources = new java.util.LinkedHashMap<>(counts);
    sources.remove("size_unknown");
    return new Section(hot.id(), hot.title(), note, hot.table(), hot.totals()).with("key_sources", sources);
  }

  /**
   * A key list, saying how many commands' keys are unknown (the statement counts' {@code hidden}): any of them
   * may have read, deleted or set a TTL on a key it lists.
   */
  public static Section unknownKeys(Section list, Map<String, Long> counts) {
    long hidden = counts.getOrDefault("hidden", 0L);
    if (hidden == 0) {
      return list;
    }
    return new Section(list.id(), list.title(), (list.note() == null ? "" : list.note() + " ") + hidden
        + " Redis commands read from other instrumentations' statements have unknown keys (hidden, or words that read "
        + "two ways): any of them may have read, deleted or set a TTL on a key listed here.", list.table(),
        list.totals()).with("unknown_keys", hidden);
  }

  /**
   * The no-TTL list, saying how many keys it leaves out because other instrumentations' statements left the TTL out
   * of some write ({@code ttlUnknown}): those keys are not known to have none.
   */
  public static Section ttlUnknown(Section section, long ttlUnknown) {
    if (ttlUnknown == 0) {
      return section;
    }
    return new Section(section.id(), section.title(), (section.note() == null ? "" : section.note() + " ")
        + ttlUnknown + " more keys were written with no TTL seen, but by statements that left the TTL out "
        + "(memtrace.unknown): whether they have one is unknown, and they are not listed.", section.table(),
        section.totals()).with("ttl_unknown", ttlUnknown);
  }

  /** The largest values, saying how many writes' sizes their statements hid: those are unknown, not small. */
  public static Section sizesUnknown(Section largest, Map<String, Long> counts) {
    long unknown = counts.getOrDefault("size_unknown", 0L);
    if (unknown == 0) {
      return largest;
    }
    return new Section(largest.id(), largest.title(), unknown + " writes read from other instrumentations' statements "
        + "are left out: the statement hid the value, so its size is unknown (memtrace.unknown).", largest.table(),
        largest.totals()).with("size_unknown", unknown);
  }
}
