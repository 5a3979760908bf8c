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
    MemoryCalls calls;
    try {
      calls = MemoryCalls.ask(sql);
    } catch (CollectorException e) {
      // the report still prints (a query timeout on a large store): each section says why it is empty
      String note = "Not computed: " + e.getMessage() + ". Joining every memory call to its Redis commands takes "
          + "longest on a large store; narrow it with --since.";
      ResultTable empty = new ResultTable(List.of(), List.of(), false);
      return List.of(new Section(TtlTruth.ID, TtlTruth.TITLE, note, empty),
          new Section(MemoryHealth.ID, MemoryHealth.TITLE, note, empty),
          new Section(MemoryCommands.ID, MemoryCommands.TITLE, note, empty));
    }
    MemoryHealth health = new MemoryHealth(sql, tenants);
    return List.of(TtlTruth.section(sql, records, calls), health.section(health.figures(calls, neverRead)),
        MemoryCommands.section(sql, calls));
  }
}
