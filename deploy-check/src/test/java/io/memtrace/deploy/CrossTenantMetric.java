package io.memtrace.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The counter the real collector sends for model calls given another tenant's memory: {@code serve --config} with a
 * tenant rule takes one trace over OTLP/HTTP (a memory search reading a key of another tenant, and a model call that
 * links to it), judges it, and forwards {@code memory.tenant.cross_reads}; every metrics export it forwards is kept, one
 * per line, in the format {@link ExportedMetrics} reads.
 */
final class CrossTenantMetric {

  private static final String TRACE = "0000000000000000000000000000d001";

  private CrossTenantMetric() {
  }

  static Path run(Path work) throws IOException, InterruptedException {
    Files.createDirectories(work);
    Path config = work.resolve("memtrace.yaml");
    Files.writeString(config, "memory-state:\n  tenant:\n    from-conversation: '^([^:]+):'\n"
        + "    from-key: '^(?:chat|docs):([^:]+):'\n");
    return ServeForward.run(work, "cross-tenant", CrossTenantMetric::trace, "memory.tenant.cross_reads", "--config",
        config.toString(), "--model-calls-interval", "1s");
  }

  /** A search of acme's conversation reads a key of globex's; the model call it fed links to it. */
  private static String trace() {
    long now = System.currentTimeMillis() * 1_000_000L;
    String search = span("0000000000000b01", null, "aqe.memory.search", now, now + 5_000_000L, 1,
        "{\"key\":\"memory.operation\",\"value\":{\"stringValue\":\"search\"}},"
            + "{\"key\":\"memory.namespace\",\"value\":{\"stringValue\":\"docs\"}}", "");
    String read = span("0000000000000b02", "0000000000000b01", "HGETALL", now + 1_000_000L, now + 2_000_000L, 3,
        "{\"key\":\"db.system.name\",\"value\":{\"stringValue\":\"redis\"}},"
            + "{\"key\":\"db.operation.name\",\"value\":{\"stringValue\":\"HGETALL\"}},"
            + "{\"key\":\"memory.key\",\"value\":{\"stringValue\":\"docs:globex:d9\"}},"
            + "{\"key\":\"memory.namespace\",\"value\":{\"stringValue\":\"docs:globex\"}},"
            + "{\"key\":\"server.address\",\"value\":{\"stringValue\":\"127.0.0.1\"}},"
            + "{\"key\":\"server.port\",\"value\":{\"intValue\":\"6379\"}},"
            + "{\"key\":\"db.namespace\",\"value\":{\"stringValue\":\"0\"}}", "");
    String model = span("0000000000000b03", null, "chat gpt-4o", now + 10_000_000L, now + 60_000_000L, 3,
        "{\"key\":\"gen_ai.operation.name\",\"value\":{\"stringValue\":\"chat\"}},"
            + "{\"key\":\"gen_ai.request.model\",\"value\":{\"stringValue\":\"gpt-4o\"}},"
            + "{\"key\":\"gen_ai.conversation.id\",\"value\":{\"stringValue\":\"acme:c1\"}}",
        ",\"links\":[{\"traceId\":\"" + TRACE + "\",\"spanId\":\"0000000000000b01\",\"attributes\":["
            + "{\"key\":\"memtrace.context.source\",\"value\":{\"stringValue\":\"retrieval\"}},"
            + "{\"key\":\"memtrace.context.records\",\"value\":{\"intValue\":\"1\"}}]}]");
    return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":"
        + "\"assistant\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"deploy-check\"},\"spans\":[" + search + "," + read
        + "," + model + "]}]}]}";
  }

  private static String span(String id, String parent, String name, long start, long end, int kind, String attributes,
      String links) {
    return String.format(Locale.ROOT, "{\"traceId\":\"%s\",\"spanId\":\"%s\",%s\"name\":\"%s\",\"kind\":%d,"
        + "\"startTimeUnixNano\":\"%d\",\"endTimeUnixNano\":\"%d\",\"attributes\":[%s]%s}", TRACE, id,
        parent == null ? "" : "\"parentSpanId\":\"" + parent + "\",", name, kind, start, end, attributes, links);
  }
}
