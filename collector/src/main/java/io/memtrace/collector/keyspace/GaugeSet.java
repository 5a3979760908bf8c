package io.memtrace.collector.keyspace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gauges of one complete pass: per namespace {@code memory.keyspace.keys}, {@code .bytes} and
 * {@code .keys_without_ttl}, and the memory-state gauges {@code memory.session.size} and {@code memory.cache.size}
 * (bytes of the layer) and {@code memory.deep.count} (keys of the deep-record namespaces), per Redis
 * and database. A layer without keys reports 0, so an alert on it resolves. Per database, the
 * {@link #NAMESPACE_SERIES} namespaces with the most bytes have series of their own and the rest are
 * summed under {@link #OTHER}: under the default rule every session is a namespace, and Prometheus
 * must not get a series per session.
 */
final class GaugeSet {

  /** One metric: its name, unit and description, and its points. */
  record Metric(String name, String unit, String description, List<Point> points) {
  }

  /** One point; {@code attributes} values are strings or longs. */
  record Point(Map<String, Object> attributes, long value) {
  }

  static final int NAMESPACE_SERIES = 100;
  static final String OTHER = "(other namespaces)";

  private GaugeSet() {
  }

  static List<Metric> of(PassSnapshot snapshot, LayerMap layers) {
    List<Point> keys = new ArrayList<>();
    List<Point> bytes = new ArrayList<>();
    List<Point> noTtl = new ArrayList<>();
    Map<Integer, long[]> perDb = new LinkedHashMap<>(); // session bytes, cache bytes, deep records
    String host = host(snapshot.redis());
    long port = port(snapshot.redis());
    for (KeyspaceSample s : namespaceSeries(snapshot.samples())) {
      Map<String, Object> attributes = base(host, port, s.db());
      attributes.put("memory.namespace", s.namespace());
      if (s.layer() != null) {
        attributes.put("memory.layer", s.layer());
      }
      keys.add(new Point(attributes, s.keys()));
      if (s.bytes() != null) {
        bytes.add(new Point(attributes, s.bytes()));
      }
      if (s.keysWithoutTtl() != null) {
        noTtl.add(new Point(attributes, s.keysWithoutTtl()));
      }
    }
    for (KeyspaceSample s : snapshot.samples()) {
      long[] totals = perDb.computeIfAbsent(s.db(), d -> new long[3]);
      long b = s.bytes() == null ? 0 : s.bytes();
      totals[0] += LayerMap.SESSION.equals(s.layer()) ? b : 0;
      totals[1] += LayerMap.CACHE.equals(s.layer()) ? b : 0;
      totals[2] += layers.isDeepRecord(s.namespace()) ? s.keys() : 0;
    }
    List<Point> session = new ArrayList<>();
    List<Point> cache = new ArrayList<>();
    List<Point> deep = new ArrayList<>();
    perDb.forEach((db, t) -> {
      session.add(new Point(base(host, port, db), t[0]));
      cache.add(new Point(base(host, port, db), t[1]));
      deep.add(new Point(base(host, port, db), t[2]));
    });
    return List.of(
        new Metric("memory.keyspace.keys", "{key}", "Keys of a namespace in Redis, counted by SCAN", keys),
        new Metric("memory.keyspace.bytes", "By", "MEMORY USAGE of a namespace's keys (exact or estimated)", bytes),
        new Metric("memory.keyspace.keys_without_ttl", "{key}", "Keys of a namespace that never expire", noTtl),
        new Metric("memory.session.size", "By", "Session layer size in Redis (bytes)", session),
        new Metric("memory.cache.size", "By", "Cache layer size in Redis (bytes)", cache),
        new Metric("memory.deep.count", "{record}", "Deep memories in Redis (records)", deep));
  }

  /** The biggest namespaces of each database as they are, the rest summed into one sample per database. */
  static List<KeyspaceSample> namespaceSeries(List<KeyspaceSample> samples) {
    Map<Integer, List<KeyspaceSample>> byDb = new LinkedHashMap<>();
    samples.forEach(s -> byDb.computeIfAbsent(s.db(), d -> new ArrayList<>()).add(s));
    List<KeyspaceSample> out = new ArrayList<>();
    byDb.forEach((db, list) -> {
      list.sort(java.util.Comparator.comparingLong((KeyspaceSample s) -> s.bytes() == null ? 0 : s.bytes()).reversed());
      out.addAll(list.subList(0, Math.min(NAMESPACE_SERIES, list.size())));
      if (list.size() > NAMESPACE_SERIES) {
        List<KeyspaceSample> rest = list.subList(NAMESPACE_SERIES, list.size());
        KeyspaceSample first = rest.get(0);
        Long bytes = rest.stream().allMatch(s -> s.bytes() != null) ? rest.stream().mapToLong(KeyspaceSample::bytes).sum() : null;
        Long noTtl = rest.stream().allMatch(s -> s.keysWithoutTtl() != null)
            ? rest.stream().mapToLong(KeyspaceSample::keysWithoutTtl).sum() : null;
        out.add(new KeyspaceSample(first.time(), first.redis(), db, OTHER, null,
            rest.stream().mapToLong(KeyspaceSample::keys).sum(), bytes, null, 0, noTtl, null, null, null, null, null, null,
            null, Map.of(), first.passId(), first.complete(), first.stale()));
      }
    });
    return out;
  }

  private static Map<String, Object> base(String host, long port, int db) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("server.address", host);
    a.put("server.port", port);
    a.put("db.namespace", String.valueOf(db));
    return a;
  }

  private static String host(String address) {
    String h = address.substring(0, address.lastIndexOf(':'));
    return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
  }

  private static long port(String address) {
    return Long.parseLong(address.substring(address.lastIndexOf(':') + 1));
  }
}
