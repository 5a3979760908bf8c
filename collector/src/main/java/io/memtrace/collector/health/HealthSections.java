package io.memtrace.collector.health;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.reader.Section;
import java.util.List;
import java.util.Map;

/** The report's TTL truth, memory health and commands per memory call, from one store's {@link HealthDialect}. */
public final class HealthSections {

  private HealthSections() {
  }

  /**
   * @param tenants   whether a tenant rule is set (memory health is then also given per tenant)
   * @param neverRead the memory layer's writes never read per store, when the report already counted them (its
   *                  wasted writes, with no tenant rule); null to count them
   */
  public static List<Section> of(HealthDialect sql, RecordPattern records, boolean tenants,
      Map<String, Long> neverRead) {
    return sections(sql, records, tenants, neverRead, true);
  }

  /**
   * Memory health's section alone, asked as {@link #of} asks it, without the TTL truth and the commands per memory
   * call: what the report's headline ({@code memory_overview}) prints.
   */
  public static Section health(HealthDialect sql, boolean tenants, Map<String, Long> neverRead) {
    return sections(sql, null, tenants, neverRead, false).get(0);
  }

  private static List<Section> sections(HealthDialect sql, RecordPattern records, boolean tenants,
      Map<String, Long> neverRead, boolean all) {
    MemoryCalls calls;
    try {
      // memory health alone reads no call's TTL finding: the TTL truth's latest calls are not asked
      calls = MemoryCalls.ask(sql, all);
    } catch (CollectorException e) {
      // the report still prints (a query timeout on a large store): each section says why it is empty
      String note = "Not computed: " + e.getMessage() + ". Joining every memory call to its Redis commands takes "
          + "longest on a large store; narrow it with --since.";
      ResultTable empty = new ResultTable(List.of(), List.of(), false);
      Section health = new Section(MemoryHealth.ID, MemoryHealth.TITLE, note, empty);
      return !all ? List.of(health) : List.of(new Section(TtlTruth.ID, TtlTruth.TITLE, note, empty), health,
          new Section(MemoryCommands.ID, MemoryCommands.TITLE, note, empty));
    }
    MemoryHealth health = new MemoryHealth(sql, tenants);
    Section healthSection = health.section(health.figures(calls, neverRead));
    return !all ? List.of(healthSection) : List.of(TtlTruth.section(sql, records, calls), healthSection,
        MemoryCommands.section(sql, calls));
  }
}
