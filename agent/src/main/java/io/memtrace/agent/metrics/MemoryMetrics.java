package io.memtrace.agent.metrics;

import static io.memtrace.agent.semconv.AttributeNames.*;

import io.memtrace.agent.health.HealthCounters;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.context.Context;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The memory metrics ({@code memory.operation.duration} and the others), recorded on the consumer thread
 * from finished spans. Attributes are low-cardinality only (operation, namespace, system, outcome and a
 * rule's chosen dimensions); keys never become attributes.
 */
public final class MemoryMetrics {


  /** 0.1 ms to 10 s. */
  static final List<Double> MILLIS = Arrays.asList(0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 25.0, 50.0,
      100.0, 250.0, 500.0, 1000.0, 2500.0, 5000.0, 10000.0);
  static final List<Double> SECONDS = Arrays.asList(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
      0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);
  /** 64 B to 16 MiB, by powers of two. */
  static final List<Long> BYTES = Arrays.asList(64L, 128L, 256L, 512L, 1024L, 2048L, 4096L, 8192L,
      16384L, 32768L, 65536L, 131072L, 262144L, 524288L, 1048576L, 2097152L, 4194304L, 8388608L,
      16777216L);
  static final List<Long> RESULTS = Arrays.asList(0L, 1L, 2L, 5L, 10L, 20L, 50L, 100L, 200L, 500L, 1000L);

  private final DoubleHistogram duration;
  private final LongCounter operations;
  private final LongCounter errors;
  private final LongCounter hits;
  private final LongCounter misses;
  private final LongHistogram valueSize;
  private final LongHistogram searchResults;
  private final DoubleHistogram dbDuration;
  /**
   * The context every measurement is recorded in: the consumer thread never has a span current, so this is what
   * {@code Context.current()} would return there (and no exemplar is taken), without the thread-local lookup the
   * SDK makes per measurement when given none: four of them per Redis command.
   */
  private static final Context ROOT = Context.root();
  /** Attribute sets per Redis command, built once: the consumer records one per command. */
  private final java.util.Map<String, RedisAttributes> redisAttributes = new java.util.HashMap<>();

  private static final class RedisAttributes {
    final Attributes db;
    final Attributes base;
    final Attributes success;
    final Attributes notFound;
    final Attributes error;

    RedisAttributes(String command) {
      db = Attributes.of(DB_SYSTEM_NAME, "redis", DB_OPERATION_NAME, command);
      base = Attributes.of(MEMORY_OPERATION, command, MEMORY_SYSTEM, "redis");
      success = base.toBuilder().put(MEMORY_OUTCOME, "success").build();
      notFound = base.toBuilder().put(MEMORY_OUTCOME, "not_found").build();
      error = base.toBuilder().put(MEMORY_OUTCOME, "error").build();
    }
  }

  public MemoryMetrics(Meter meter, HealthCounters health) {
    duration = meter.histogramBuilder("memory.operation.duration").setUnit("ms")
        .setDescription("Memory operation latency").setExplicitBucketBoundariesAdvice(MILLIS).build();
    operations = meter.counterBuilder("memory.operations").setDescription("Memory operations").build();
    errors = meter.counterBuilder("memory.operation.errors").setDescription("Memory operations that failed").build();
    hits = meter.counterBuilder("memory.cache.hits").setDescription("Reads that found their key").build();
    misses = meter.counterBuilder("memory.cache.misses").setDescription("Reads that found nothing").build();
    valueSize = meter.histogramBuilder("memory.value.size").ofLongs().setUnit("By")
        .setDescription("Size of values stored and retrieved").setExplicitBucketBoundariesAdvice(BYTES).build();
    searchResults = meter.histogramBuilder("memory.search.results").ofLongs()
        .setDescription("Results per search").setExplicitBucketBoundariesAdvice(RESULTS).build();
    dbDuration = meter.histogramBuilder("db.client.operation.duration").setUnit("s")
        .setDescription("Duration of Redis commands").setExplicitBucketBoundariesAdvice(SECONDS).build();
    // produced = exported + compressed + dropped (see HealthCounters)
    meter.counterBuilder("memtrace.events.produced").setDescription("Spans memtrace built or would have built")
        .buildWithCallback(m -> m.record(health.produced.get()));
    meter.counterBuilder("memtrace.events.dropped")
        .setDescription("Spans memtrace lost (ring full, export behind, failed exports)")
        .buildWithCallback(m -> m.record(health.droppedTotal()));
    meter.counterBuilder("memtrace.events.exported").setDescription("Spans memtrace exported")
        .buildWithCallback(m -> m.record(health.exported.get()));
    meter.counterBuilder("memtrace.events.compressed")
        .setDescription("Spans retention compressed into counts on a parent or summary span")
        .buildWithCallback(m -> m.record(health.compressed.get()));
    meter.counterBuilder("memtrace.export.failures").setDescription("Span exports that failed")
        .buildWithCallback(m -> m.record(health.exportFailures.get()));
    meter.gaugeBuilder("memtrace.redis.clients.untraced").ofLongs()
        .setDescription("Redis clients the application loaded whose commands memtrace does not trace, one point each")
        .buildWithCallback(m -> health.untracedClients()
            .forEach(client -> m.record(1, Attributes.of(MEMTRACE_CLIENT, client))));
  }

  /**
   * One memory-manager operation.
   *
   * @param outcome success, not_found or error
   * @param dimensions the rule's chosen low-cardinality attributes
   */
  public void memoryOperation(String operation, String namespace, String outcome, double millis,
      long valueBytes, long results, Boolean found, Map<String, String> dimensions) {
    AttributesBuilder b = Attributes.builder().put(MEMORY_OPERATION, operation).put(MEMORY_SYSTEM, "app");
    if (namespace != null) {
      b.put(MEMORY_NAMESPACE, namespace);
    }
    dimensions.forEach(b::put);
    Attributes base = b.build();
    Attributes withOutcome = base.toBuilder().put(MEMORY_OUTCOME, outcome).build();
    duration.record(millis, withOutcome);
    operations.add(1, withOutcome);
    if (outcome.equals("error")) {
      errors.add(1, base);
    }
    if (found != null) {
      (found ? hits : misses).add(1, base);
    }
    if (valueBytes >= 0) {
      valueSize.record(valueBytes, base);
    }
    if (results >= 0) {
      searchResults.record(results, base);
    }
  }

  /** One Redis command (or batch); namespaces are left out, as they come from keys. */
  public void redisCommand(String command, String errorType, double seconds, long valueBytes, Boolean found) {
    RedisAttributes cached = redisAttributes.computeIfAbsent(command, RedisAttributes::new);
    Attributes db = errorType == null ? cached.db
        : Attributes.of(DB_SYSTEM_NAME, "redis", DB_OPERATION_NAME, command, ERROR_TYPE, errorType);
    dbDuration.record(seconds, db, ROOT);
    Attributes base = cached.base;
    operations.add(1, errorType != null ? cached.error : Boolean.FALSE.equals(found) ? cached.notFound : cached.success, ROOT);
    if (errorType != null) {
      errors.add(1, base, ROOT);
    }
    if (found != null) {
      (found ? hits : misses).add(1, base, ROOT);
    }
    if (valueBytes >= 0) {
      valueSize.record(valueBytes, base, ROOT);
    }
  }
}
