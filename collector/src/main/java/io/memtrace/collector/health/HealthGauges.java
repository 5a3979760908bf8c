package io.memtrace.collector.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memtrace.collector.OtlpJsonMetrics;
import io.memtrace.collector.query.ResultTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Memory health as OTLP gauges, one point per store ({@code memory.store}) and, under a tenant rule, per tenant
 * ({@code memory.tenant}); both at most {@link MemoryHealth#LIST} of each, the most active, so the series stay few.
 * A figure that is unknown (no write, no search, no fingerprint) sends no point: a gauge that stops is better than a
 * wrong one. Prometheus names, through the OpenTelemetry Collector's exporter: dots become underscores
 * ({@code memory_health_never_read_ratio}, {@code memory_ttl_missing}).
 */
public final class HealthGauges {

  public static final String SCOPE = "io.memtrace.collector.health";
  public static final String TTL_MISSING = "memory.ttl.missing";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One gauge of the figures. */
  record Gauge(String name, String unit, String description, Function<HealthFigures, Number> value) {
  }

  static final List<Gauge> GAUGES = List.of(
      new Gauge("memory.health.never_read.ratio", "1", "Share of writes never read before they were overwritten, "
          + "deleted or expired", HealthFigures::neverReadShare),
      new Gauge("memory.health.search.empty.ratio", "1", "Share of memory searches that found nothing",
          HealthFigures::emptySearchShare),
      new Gauge("memory.health.read_write.ratio", "1", "Memory reads per write", HealthFigures::readWriteRatio),
      new Gauge("memory.health.unchanged_rewrites", "{write}", "Writes that stored the value the key held "
          + "(memory.value.fingerprint)", HealthFigures::unchanged),
      new Gauge("memory.health.duplicate_values", "{key}", "Keys holding a value another key of the store holds "
          + "(memory.value.fingerprint)", HealthFigures::duplicates),
      new Gauge("memory.health.redis_commands_per_operation", "{command}", "Redis commands per memory call",
          HealthFigures::commandsPerOperation),
      new Gauge("memory.health.n_plus_one_calls", "{call}", "Memory calls that issued one Redis command per record",
          HealthFigures::nPlusOne));

  private HealthGauges() {
  }

  /** What one look measured: the figures (all, stores, tenants) and the calls whose TTL was lost, per store. */
  public record Measurement(List<HealthFigures> figures, Map<String, Long> ttlMissing) {
  }

  /** Measures the memory calls {@code sql} holds (its relations already cut to the window). */
  public static Measurement measure(HealthDialect sql, boolean tenants) {
    MemoryCalls calls = MemoryCalls.ask(sql);
    Map<String, Long> missing = new LinkedHashMap<>();
    ResultTable perOperation = calls.calls();
    for (int i = 0; i < perOperation.size(); i++) {
      missing.merge(perOperation.text(i, "store"), perOperation.number(i, "ttl_lost"), Long::sum);
    }
    return new Measurement(new MemoryHealth(sql, tenants).figures(calls, null), missing);
  }

  /** The measurement as one OTLP/JSON metrics export (64-bit integers as strings, attributes typed). */
  public static byte[] encode(Measurement m, long timeNanos) {
    OtlpJsonMetrics export = new OtlpJsonMetrics(SCOPE);
    ArrayNode metrics = export.metrics();
    for (Gauge g : GAUGES) {
      ArrayNode points = JSON.createArrayNode();
      for (HealthFigures f : m.figures()) {
        Number v = g.value().apply(f);
        if (v != null && !f.scope().equals("all")) {
          point(points, f.scope().equals("tenant") ? "memory.tenant" : "memory.store", f.name(), v, timeNanos);
        }
      }
      if (!points.isEmpty()) {
        metrics.addObject().put("name", g.name()).put("description", g.description()).put("unit", g.unit())
            .putObject("gauge").set("dataPoints", points);
      }
    }
    ArrayNode points = JSON.createArrayNode();
    m.figures().stream().filter(f -> f.scope().equals("store")).forEach(f -> point(points, "memory.store", f.name(),
        m.ttlMissing().getOrDefault(f.name(), 0L), timeNanos));
    if (!points.isEmpty()) {
      metrics.addObject().put("name", TTL_MISSING).put("description", "Memory calls that asked for a TTL whose Redis "
          + "commands set none").put("unit", "{call}").putObject("gauge").set("dataPoints", points);
    }
    return export.bytes();
  }

  private static void point(ArrayNode points, String attribute, String value, Number v, long timeNanos) {
    ObjectNode point = points.addObject();
    point.putArray("attributes").addObject().put("key", attribute).putObject("value").put("stringValue", value);
    point.put("timeUnixNano", Long.toString(timeNanos));
    if (v instanceof Double d) {
      point.put("asDouble", d);
    } else {
      point.put("asInt", Long.toString(v.longValue()));
    }
  }
}
