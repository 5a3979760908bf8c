package io.memtrace.collector.health;

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
    MemoryCalls calls = MemoryCalls.ask(sql);
    MemoryHealth health = new MemoryHealth(sql, tenants);
    return List.of(TtlTruth.section(sql, records, calls), health.section(health.figures(calls, neverRead)),
        MemoryCommands.section(sql, calls));
  }
}
