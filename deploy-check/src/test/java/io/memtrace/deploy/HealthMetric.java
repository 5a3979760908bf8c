package io.memtrace.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The memory health gauges the real collector sends: {@code serve --health-interval 1s} takes one trace over OTLP/HTTP
 * (a memory store that asked for a TTL whose SET set none, its value fingerprinted, and a search that found nothing),
 * measures it, and forwards
 * {@code memory.health.*} and {@code memory.ttl.missing}; every metrics export it forwards is kept, one per line, in
 * the format {@link ExportedMetrics} reads.
 */
final class HealthMetric {

  private static final String TRACE = "0000000000000000000000000000d050";

  private HealthMetric() {
  }

  static Path run(Path work) throws IOException, InterruptedException {
    return ServeForward.run(work, "health", HealthMetric::trace, "memory.ttl.missing", "--health-interval", "1s");
  }

  /** A store of chat:u1 asking for a TTL of 60 s whose SET set none, and a search that found nothing. */
  private static String trace() {
    long now = System.currentTimeMillis() * 1_000_000L;
    String store = span("0000000000000c01", null, "aqe.memory.store", now, now + 5_000_000L, 1,
        "{\"key\":\"memory.operation\",\"value\":{\"stringValue\":\"store\"}},"
            + "{\"key\":\"memory.namespace\",\"value\":{\"stringValue\":\"chat\"}},"
            + "{\"key\":\"memory.key\",\"value\":{\"stringValue\":\"u1\"}},"
            + "{\"key\":\"memory.ttl\",\"value\":{\"intValue\":\"60\"}},"
            + "{\"key\":\"memory.value.fingerprint\",\"value\":{\"stringValue\":\"00000000000000f1\"}}");
    String set = span("0000000000000c02", "0000000000000c01", "SET", now + 1_000_000L, now + 2_000_000L, 3,
        "{\"key\":\"db.system.name\",\"value\":{\"stringValue\":\"redis\"}},"
            + "{\"key\":\"db.operation.name\",\"value\":{\"stringValue\":\"SET\"}},"
            + "{\"key\":\"memory.key\",\"value\":{\"stringValue\":\"chat:u1\"}},"
            + "{\"key\":\"memory.namespace\",\"value\":{\"stringValue\":\"chat\"}}");
    String search = span("0000000000000c03", null, "aqe.memory.search", now + 10_000_000L, now + 12_000_000L, 1,
        "{\"key\":\"memory.operation\",\"value\":{\"stringValue\":\"search\"}},"
            + "{\"key\":\"memory.namespace\",\"value\":{\"stringValue\":\"chat\"}},"
            + "{\"key\":\"memory.result_count\",\"value\":{\"intValue\":\"0\"}}");
    return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":"
        + "\"assistant\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"deploy-check\"},\"spans\":[" + store + "," + set
        + "," + search + "]}]}]}";
  }

  private static String span(String id, String parent, String name, long start, long end, int kind, String attributes) {
    return String.format(Locale.ROOT, "{\"traceId\":\"%s\",\"spanId\":\"%s\",%s\"name\":\"%s\",\"kind\":%d,"
        + "\"startTimeUnixNano\":\"%d\",\"endTimeUnixNano\":\"%d\",\"attributes\":[%s]}", TRACE, id,
        parent == null ? "" : "\"parentSpanId\":\"" + parent + "\",", name, kind, start, end, attributes);
  }
}
