package io.memtrace.collector.keyspace.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memtrace.collector.OtlpJsonMetrics;
import io.memtrace.collector.forward.Forwarder;
import io.memtrace.collector.keyspace.KeyspaceGauges;
import io.memtrace.collector.store.SpanWriter;
import java.util.List;
import java.util.Map;

/**
 * The subscription's counts as the OTLP counter {@code memtrace.keyspace.notifications} (cumulative since the
 * watcher started), with {@code outcome} = {@code recorded}, {@code dropped_rate}, {@code dropped_sampled} or
 * {@code dropped_queue}, beside the keyspace gauges: upstream through the {@link Forwarder} and into the
 * {@code metrics} table, with every status row. An alert on {@code dropped_queue} or {@code dropped_rate} growing
 * says the records of outside changes are incomplete.
 */
public final class NotificationMetrics implements NotificationSink {

  public static final String NAME = "memtrace.keyspace.notifications";


  private final Forwarder forwarder;
  private final SpanWriter store;
  private final long startNanos = System.currentTimeMillis() * 1_000_000L;

  /** Either may be null. */
  public NotificationMetrics(Forwarder forwarder, SpanWriter store) {
    this.forwarder = forwarder;
    this.store = store;
  }

  @Override
  public void write(List<KeyNotification> batch) {
    // the counts go with the status rows
  }

  @Override
  public void status(NotificationStatus status) {
    KeyspaceGauges.send(encode(status, startNanos), forwarder, store, "the notification counts");
  }

  /** OTLP/JSON: one cumulative, monotonic sum with a point per outcome. */
  static byte[] encode(NotificationStatus status, long startNanos) {
    OtlpJsonMetrics export = new OtlpJsonMetrics(KeyspaceGauges.SCOPE);
    ObjectNode sum = export.metrics().addObject().put("name", NAME).put("unit", "{notification}")
        .put("description", "Keyspace notifications of watched namespaces received from Redis, by what became of them")
        .putObject("sum").put("aggregationTemporality", 2).put("isMonotonic", true);
    ArrayNode points = sum.putArray("dataPoints");
    NotificationCounts.Snapshot c = status.counts();
    String redis = status.redis();
    String host = redis.substring(0, redis.lastIndexOf(':')).replace("[", "").replace("]", "");
    long port = Long.parseLong(redis.substring(redis.lastIndexOf(':') + 1));
    long time = status.time().getEpochSecond() * 1_000_000_000L + status.time().getNano();
    Map<String, Long> outcomes = new java.util.LinkedHashMap<>();
    outcomes.put("recorded", c.recorded());
    outcomes.put("dropped_rate", c.droppedRate());
    outcomes.put("dropped_sampled", c.droppedSampled());
    outcomes.put("dropped_queue", c.droppedQueue());
    outcomes.forEach((outcome, n) -> {
      ObjectNode p = points.addObject();
      ArrayNode a = p.putArray("attributes");
      a.addObject().put("key", "server.address").putObject("value").put("stringValue", host);
      a.addObject().put("key", "server.port").putObject("value").put("intValue", Long.toString(port));
      a.addObject().put("key", "outcome").putObject("value").put("stringValue", outcome);
      p.put("startTimeUnixNano", Long.toString(startNanos)).put("timeUnixNano", Long.toString(time))
          .put("asInt", Long.toString(n));
    });
    return export.bytes();
  }
}
