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
 * key by namespace, or, in a database the {@link WatchMode} samples, {@code SCAN}s started at random
 * cursors return a sample of its keys (a random cursor is a random bucket of Redis's hash table, and
 * keys land in buckets by a hash of their name, so the keys of the buckets it returns are a uniform
 * sample whatever their namespace or size). The keys a {@link NamespaceTally} picks are measured in pipelines of
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
  private final Map<Integer, DatabaseSample> sampled = new LinkedHashMap<>();
  private final List<Pending> pending = new ArrayList<>();
  private InfoFields memory;
  private Map<Integer, Long> databases = Map.of();
  private boolean lfu;
  private long nextTick;

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
    nextTick = startNanos + settings.intervalMillis() * 1_000_000L;
    for (Map.Entry<Integer, Long> db : databases.entrySet()) {
      session.budget.acquire(1);
      session.jedis.select(db.getKey());
      Map<String, NamespaceTally> byNamespace = tallies.computeIfAbsent(db.getKey(), d -> new LinkedHashMap<>());
      if (settings.mode().samples(db.getValue(), settings)) {
        sample(db.getKey(), db.getValue(), byNamespace, interim);
      } else {
        countAll(db.getValue(), byNamespace, interim);
      }
      measurePending();
    }
    return snapshot(true, session.info("stats"));
  }

  /** Every key, by a SCAN from cursor 0 to 0. */
  private void countAll(long dbKeys, Map<String, NamespaceTally> byNamespace, Consumer<PassSnapshot> interim)
      throws InterruptedException {
    double p = Math.min(1.0, (double) settings.sampleKeys() / Math.max(1, dbKeys));
    byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
    ScanParams params = new ScanParams().count(settings.scanCount());
    do {
      session.budget.acquire(1);
      ScanResult<byte[]> page = session.jedis.scan(cursor, params);
      for (byte[] key : page.getResult()) {
        NamespaceTally tally = tally(key, byNamespace);
        probe(key, tally, tally.counted(settings.exactKeys(), p, random), settings.pipelineKeys());
      }
      cursor = page.getCursorAsBytes();
      tick(interim);
    } while (!ScanParams.SCAN_POINTER_START.equals(new String(cursor, StandardCharsets.US_ASCII)));
  }

  /**
   * About {@code sampleScanKeys} keys, each SCAN from a random cursor (Redis masks it to its table's size)
   * with a small COUNT. A SCAN that lands on empty buckets may return nothing, so the SCANs are capped
   * at four times what a full table needs. Once an eighth of the sample has been measured, a namespace's
   * minimum falls from {@code exactKeys} to two keys, so that thousands of small namespaces (a namespace
   * per session) cannot turn the sample into a probe of every key it returned.
   */
  private void sample(int db, long dbKeys, Map<String, NamespaceTally> byNamespace, Consumer<PassSnapshot> interim)
      throws InterruptedException {
    ScanParams params = new ScanParams().count(WatchSettings.SAMPLE_SCAN_COUNT);
    long maxScans = 4L * settings.sampleScanKeys() / WatchSettings.SAMPLE_SCAN_COUNT + 100;
    long returned = 0;
    long measured = 0;
    for (long scans = 0; returned < settings.sampleScanKeys() && scans < maxScans; scans++) {
      session.budget.acquire(1);
      byte[] cursor = Long.toUnsignedString(random.nextLong()).getBytes(StandardCharsets.US_ASCII);
      ScanResult<byte[]> page = session.jedis.scan(cursor, params);
      for (byte[] key : page.getResult()) {
        returned++;
        NamespaceTally tally = tally(key, byNamespace);
        int least = measured < settings.sampleScanKeys() / 8 ? settings.exactKeys() : 2;
        Stratum stratum = tally.returned(least, returned);
        measured += stratum == null ? 0 : 1;
        probe(key, tally, stratum, WatchSettings.SAMPLE_PIPELINE_KEYS);
      }
      sampled.put(db, new DatabaseSample(dbKeys, returned));
      tick(interim);
    }
  }

  private NamespaceTally tally(byte[] key, Map<String, NamespaceTally> byNamespace) {
    String ns = config.namespaceRule().namespace(new String(key, StandardCharsets.UTF_8));
    String namespace = ns == null ? "" : ns;
    NamespaceTally tally = byNamespace.get(namespace);
    if (tally == null) {
      namespace = byNamespace.size() >= MAX_NAMESPACES ? OVERFLOW : namespace;
      tally = byNamespace.computeIfAbsent(namespace, n -> new NamespaceTally(n, random));
    }
    return tally;
  }

  private void probe(byte[] key, NamespaceTally tally, Stratum stratum, int pipelineKeys) throws InterruptedException {
    if (stratum != null) {
      pending.add(new Pending(key, tally, stratum));
      if (pending.size() >= pipelineKeys) {
        measurePending();
      }
    }
  }

  /** Hands on the figures so far once an interval has passed. */
  private void tick(Consumer<PassSnapshot> interim) throws InterruptedException {
    if (System.nanoTime() >= nextTick) {
      measurePending();
      interim.accept(snapshot(false, null));
      nextTick += settings.intervalMillis() * 1_000_000L;
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
        t.toSample(now, redis, db, config.layers().layerOf(t.namespace), passId, complete, bytes, sampled.get(db)))));
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
