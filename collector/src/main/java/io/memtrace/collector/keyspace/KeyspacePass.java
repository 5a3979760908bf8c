package io.memtrace.collector.keyspace;

import io.memtrace.collector.keyspace.RedisSession.Probe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * One pass over every database of one Redis: {@code SCAN} with a small {@code COUNT} counts every
 * key by namespace, and the keys a {@link NamespaceTally} picks are measured in pipelines of
 * {@code TYPE}, {@code PTTL}, {@code OBJECT IDLETIME} (or {@code OBJECT FREQ} under an LFU policy)
 * and {@code MEMORY USAGE}. Never {@code KEYS}, never {@code DEBUG}; every command waits for the
 * {@link CommandBudget}. When the interval ends before the pass does, the figures so far are
 * handed on with {@code complete=false} and the pass goes on where it was.
 */
final class KeyspacePass {

  /** Namespaces per database beyond which keys are counted under {@link #OVERFLOW}. */
  static final int MAX_NAMESPACES = 10_000;
  static final String OVERFLOW = "(other namespaces)";

  private final RedisSession session;
  private final String redis;
  private final WatchSettings settings;
  private final MemoryStateConfig config;
  private final long passId;
  private final Instant started = Instant.now();
  private final long startNanos = System.nanoTime();
  private final long commandsBefore;
  private final Random random = new Random();
  private final Map<Integer, Map<String, NamespaceTally>> tallies = new LinkedHashMap<>();
  private final List<Pending> pending = new ArrayList<>();
  private InfoFields memory;
  private Map<Integer, Long> databases = Map.of();
  private boolean lfu;

  private record Pending(byte[] key, NamespaceTally tally, Stratum stratum) {
  }

  /** {@code commandsAtStart}: the budget's count before the attempt, so a (re)connection's commands count too. */
  KeyspacePass(RedisSession session, String redis, WatchSettings settings, MemoryStateConfig config, long passId,
      long commandsAtStart) {
    this.session = session;
    this.redis = redis;
    this.settings = settings;
    this.config = config;
    this.passId = passId;
    this.commandsBefore = commandsAtStart;
  }

  /** Runs the pass; {@code interim} gets the figures so far each time {@code intervalNanos} passes. */
  PassSnapshot run(Consumer<PassSnapshot> interim) throws InterruptedException {
    session.newPass();
    databases = session.info("keyspace").databases();
    memory = session.info("memory");
    String policy = memory.text("maxmemory_policy");
    lfu = policy != null && policy.contains("lfu");
    long nextTick = startNanos + settings.intervalMillis() * 1_000_000L;
    for (Map.Entry<Integer, Long> db : databases.entrySet()) {
      session.budget.acquire(1);
      session.jedis.select(db.getKey());
      double p = Math.min(1.0, (double) settings.sampleKeys() / Math.max(1, db.getValue()));
      Map<String, NamespaceTally> byNamespace = tallies.computeIfAbsent(db.getKey(), d -> new LinkedHashMap<>());
      byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
      ScanParams params = new ScanParams().count(settings.scanCount());
      do {
        session.budget.acquire(1);
        ScanResult<byte[]> page = session.jedis.scan(cursor, params);
        for (byte[] key : page.getResult()) {
          count(key, byNamespace, p);
        }
        cursor = page.getCursorAsBytes();
        if (System.nanoTime() >= nextTick) {
          measurePending();
          interim.accept(snapshot(false, null));
          nextTick += settings.intervalMillis() * 1_000_000L;
        }
      } while (!ScanParams.SCAN_POINTER_START.equals(new String(cursor, StandardCharsets.US_ASCII)));
      measurePending();
    }
    return snapshot(true, session.info("stats"));
  }

  private void count(byte[] key, Map<String, NamespaceTally> byNamespace, double p) throws InterruptedException {
    String ns = config.namespaceRule().namespace(new String(key, StandardCharsets.UTF_8));
    String namespace = ns == null ? "" : ns;
    NamespaceTally tally = byNamespace.get(namespace);
    if (tally == null) {
      namespace = byNamespace.size() >= MAX_NAMESPACES ? OVERFLOW : namespace;
      tally = byNamespace.computeIfAbsent(namespace, n -> new NamespaceTally(n, random));
    }
    Stratum stratum = tally.counted(settings.exactKeys(), p, random);
    if (stratum != null) {
      pending.add(new Pending(key, tally, stratum));
      if (pending.size() >= settings.pipelineKeys()) {
        measurePending();
      }
    }
  }

  /** Measures the keys waiting, in one pipeline. */
  private void measurePending() throws InterruptedException {
    if (pending.isEmpty()) {
      return;
    }
    KeyProbes probes = new KeyProbes(session, lfu);
    session.budget.acquire(pending.size() * probes.perKey());
    Pipeline pipeline = session.jedis.pipelined();
    List<KeyProbes.Replies> replies = new ArrayList<>(pending.size());
    for (Pending p : pending) {
      replies.add(probes.queue(pipeline, p.key()));
    }
    pipeline.sync();
    for (int i = 0; i < pending.size(); i++) {
      Pending p = pending.get(i);
      KeyProbes.Replies r = replies.get(i);
      String type = r.type();
      if (type != null && !"none".equals(type)) { // "none": deleted since SCAN returned it
        p.tally().measured(p.stratum(), type, r.pttl(), r.idle(), r.freq(), r.bytes());
      }
    }
    pending.clear();
  }

  /** The figures so far as rows; {@code stats} is null for a pass still running. */
  private PassSnapshot snapshot(boolean complete, InfoFields stats) {
    Instant now = Instant.now();
    boolean bytes = session.allowed(Probe.MEMORY);
    List<KeyspaceSample> samples = new ArrayList<>();
    tallies.forEach((db, byNamespace) -> byNamespace.values().forEach(t -> samples.add(
        t.toSample(now, redis, db, config.layers().layerOf(t.namespace), passId, complete, bytes))));
    long keys = databases.values().stream().mapToLong(Long::longValue).sum();
    double seconds = Duration.ofNanos(System.nanoTime() - startNanos).toNanos() / 1e9;
    InfoFields s = stats == null ? new InfoFields("") : stats;
    ServerSample server = new ServerSample(now, redis, memory.number("used_memory"),
        memory.number("used_memory_dataset"), memory.number("maxmemory"), memory.text("maxmemory_policy"),
        s.number("evicted_keys"), s.number("expired_keys"), s.number("keyspace_hits"), s.number("keyspace_misses"),
        keys, passId, seconds, session.budget.sent() - commandsBefore, complete, false, session.notes());
    return new PassSnapshot(redis, samples, server);
  }

  Instant started() {
    return started;
  }
}
