package io.memtrace.collector.clickhouse;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.keyspace.KeyspaceSample;
import io.memtrace.collector.keyspace.KeyspaceSink;
import io.memtrace.collector.keyspace.PassSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code watch --clickhouse}: each pass's namespace rows into {@code memtrace_keyspace}, the table {@code clickhouse
 * init} made for the watcher, one INSERT a pass. The query tier's memory page, {@code /api/keyspace} and a trace's
 * namespace sizes read them from there. The fleet schema keeps no server figures ({@code keyspace_server}); those go
 * to the OTLP gauges ({@code --forward}) as on one host.
 */
public final class ClickHouseKeyspaceSink implements KeyspaceSink, AutoCloseable {

  private final ClickHouseSession session;
  private final String table;

  /** Connects, so that a bad URL or refused credentials fail at start in one line, and checks the table is there. */
  public ClickHouseKeyspaceSink(ClickHouseUrl url) {
    this.session = ClickHouseSession.open(url);
    this.table = "`" + url.database().replace("`", "") + "`." + MemtraceTables.KEYSPACE;
    if (session.query("SELECT count() AS n FROM system.tables WHERE database = " + text(url.database())
        + " AND name = '" + MemtraceTables.KEYSPACE + "'").get(0).getLong("n") == 0) {
      session.close();
      throw new CollectorException("ClickHouse at " + url + " has no " + MemtraceTables.KEYSPACE + " table: run "
          + "`clickhouse init --clickhouse " + url + "` first");
    }
  }

  @Override
  public synchronized void accept(PassSnapshot snapshot) {
    if (snapshot.samples().isEmpty()) {
      return;
    }
    List<String> rows = new ArrayList<>();
    for (KeyspaceSample s : snapshot.samples()) {
      rows.add("(" + String.join(", ", time(s.time()), text(s.redis()), String.valueOf(s.db()), text(s.namespace()),
          text(s.layer() == null ? "" : s.layer()), String.valueOf(s.keys()), number(s.bytes()), number(s.bytesError()),
          number(s.sampledKeys()), number(s.keysWithoutTtl()), nullable(s.ttlP50()), nullable(s.ttlP90()),
          nullable(s.ttlP99()), nullable(s.idleP50()), nullable(s.idleP90()), nullable(s.idleP99()),
          nullable(s.lfuFreqP50()), types(s.types()), String.valueOf(s.passId()), String.valueOf(s.complete()),
          String.valueOf(s.stale()), String.valueOf(Math.max(0, s.keysError())), String.valueOf(s.sampled())) + ")");
    }
    try {
      session.execute("INSERT INTO " + table + " (Time, Redis, Db, Namespace, Layer, Keys, Bytes, "
          + "BytesError, SampledKeys, KeysWithoutTtl, TtlP50S, TtlP90S, TtlP99S, IdleP50S, IdleP90S, IdleP99S, "
          + "LfuFreqP50, Types, PassId, Complete, Stale, KeysError, Sampled) VALUES " + String.join(", ", rows));
    } catch (CollectorException e) {
      throw new CollectorException("cannot write the keyspace figures of " + snapshot.redis() + " to ClickHouse: "
          + e.getMessage(), e);
    }
  }

  private static String time(Instant t) {
    return "fromUnixTimestamp64Milli(" + t.toEpochMilli() + ")";
  }

  static String text(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** A count the table keeps as UInt64: 0 when the pass did not measure it. */
  private static String number(Number n) {
    return n == null ? "0" : String.valueOf(Math.max(0, n.longValue()));
  }

  private static String nullable(Double d) {
    return d == null || !Double.isFinite(d) ? "NULL" : String.format(Locale.ROOT, "%s", d);
  }

  private static String types(Map<String, ? extends Number> types) {
    List<String> pairs = new ArrayList<>();
    if (types != null) {
      types.forEach((k, v) -> pairs.add(text(k) + ", " + (v == null ? 0 : v.longValue())));
    }
    return "CAST(map(" + String.join(", ", pairs) + "), 'Map(String, UInt64)')";
  }

  @Override
  public synchronized void close() {
    session.close();
  }
}
