package io.memtrace.collector.travel;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.reader.KeyChange;
import io.memtrace.collector.reader.KeyChangesRequest;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.redis.SnapshotFile;
import io.memtrace.collector.redis.SnapshotReader;
import io.memtrace.collector.snapshots.NamespaceGlobs;
import io.memtrace.collector.snapshots.SnapshotShelf;
import io.memtrace.collector.timeline.RedisAddress;
import io.memtrace.collector.values.CapturedValue;
import io.memtrace.collector.values.ValuesRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Gathers what a rebuild as of a moment needs: the base snapshot (the one given, or the newest scheduled one
 * finished before that moment that covers the namespaces, of the source Redis and database), then the captured
 * values and the other key changes the store holds from the base's start to that moment.
 */
public final class AsOfRestore {

  /** The most captured values or key changes one rebuild reads; past that, a nearer snapshot is needed. */
  public static final int MAX_ROWS = 5_000_000;

  /**
   * @param sourceRedis only this Redis's writes ({@code host:port}); null for any
   * @param sourceDb    the database rebuilt; null for the base snapshot's, else 0
   */
  public record Plan(Instant asOf, NamespaceGlobs namespaces, Path fromSnapshot, Path dataDir, String sourceRedis,
      Integer sourceDb) {
  }

  private AsOfRestore() {
  }

  /** The base snapshot, or null when none was taken before the moment. */
  public static SnapshotFile base(Plan plan) {
    if (plan.fromSnapshot() != null) {
      SnapshotFile file = SnapshotReader.readFile(plan.fromSnapshot());
      if (file.takenAt().isAfter(plan.asOf())) {
        throw new CollectorException("--from-snapshot " + plan.fromSnapshot() + " was taken at " + file.takenAt()
            + ", after " + plan.asOf() + ": a rebuild starts from a snapshot taken before the moment");
      }
      return file;
    }
    for (SnapshotShelf.Shelved s : new SnapshotShelf(plan.dataDir()).before(plan.asOf())) {
      if (plan.sourceRedis() != null && !RedisAddress.same(plan.sourceRedis(), s.redis())
          || s.db() != (plan.sourceDb() == null ? 0 : plan.sourceDb())) {
        continue;
      }
      SnapshotFile file = SnapshotReader.readFile(s.file());
      boolean covers = file.namespaces().isEmpty() || file.namespaces().contains("*")
          || plan.namespaces().globs().stream().allMatch(g -> file.namespaces().contains(g));
      if (!file.takenAt().isAfter(plan.asOf()) && covers) {
        return file;
      }
    }
    return null;
  }

  /**
   * Every row from {@code from} on, a page at a time: each page starts at the last time the one before ended with (a
   * store cuts an answer at its row and byte caps, so a page may be shorter than asked), rows seen twice at that
   * time kept once, until a page brings nothing new. A reader that streams uncapped ({@code asked}, its
   * {@code rowsPerRead}, above {@link #MAX_ROWS}) answers whole at once, and its first answer is taken as it is.
   */
  static <T> List<T> paged(Function<Instant, List<T>> page, Function<T, Instant> time, Function<T, Object> id,
      Instant from, String glob, int asked) {
    Map<Object, T> rows = new LinkedHashMap<>();
    Instant cursor = from;
    while (true) {
      int before = rows.size();
      List<T> got = page.apply(cursor);
      if (cursor == from && asked > MAX_ROWS && got.size() <= MAX_ROWS) {
        return got; // a store that streams uncapped answered whole in one read (read() keeps each row once)
      }
      got.forEach(row -> rows.putIfAbsent(id.apply(row), row));
      if (rows.size() == before || got.isEmpty()) {
        return new ArrayList<>(rows.values());
      }
      if (rows.size() > MAX_ROWS) {
        throw new CollectorException("more than " + MAX_ROWS + " captured writes or key changes of " + glob
            + " since the base snapshot; take snapshots more often (serve --snapshot-every) or name one nearer "
            + "with --from-snapshot");
      }
      cursor = time.apply(got.get(got.size() - 1));
    }
  }

  /** The rebuild: base, values and changes read, folded, accounted. */
  public static Rebuild.Result rebuild(Plan plan, SnapshotFile base, StoreReader reader) {
    Reads reads = read(plan, base, reader);
    return Rebuild.run(base, plan.asOf(), plan.namespaces(), reads.values(), reads.changes(),
        reader.notificationCoverage());
  }

  /** What a rebuild reads from the store: the captured values and the other key changes, each oldest first. */
  public record Reads(List<CapturedValue> values, List<KeyChange> changes) {
  }

  /** The captured values and key changes of the source database from the base's start to the moment. */
  public static Reads read(Plan plan, SnapshotFile base, StoreReader reader) {
    Instant from = base == null ? null : base.created();
    int db = plan.sourceDb() != null ? plan.sourceDb() : base != null && base.db() != null ? base.db() : 0;
    Map<String, CapturedValue> values = new LinkedHashMap<>();
    Set<KeyChange> changes = new LinkedHashSet<>();
    for (String glob : plan.namespaces().globs()) {
      List<CapturedValue> read = paged(cursor -> reader.capturedValues(new ValuesRequest(null, glob, cursor,
          plan.asOf(), reader.rowsPerRead())), CapturedValue::time,
          v -> v.traceId() + "/" + v.spanId() + "/" + v.seq() + "/" + v.key(),
          from, glob, reader.rowsPerRead());
      List<KeyChange> other = paged(cursor -> reader.keyChanges(new KeyChangesRequest(glob, cursor, plan.asOf(),
          reader.rowsPerRead())), c -> Instant.ofEpochSecond(Math.floorDiv(c.endUs(), 1_000_000),
              Math.floorMod(c.endUs(), 1_000_000) * 1_000), c -> c, from, glob, reader.rowsPerRead());
      for (CapturedValue v : read) {
        if (v.db() == db && (plan.sourceRedis() == null || v.redis().isEmpty()
            || RedisAddress.same(plan.sourceRedis(), v.redis()))) {
          values.putIfAbsent(v.traceId() + "/" + v.spanId() + "/" + v.seq() + "/" + v.key(), v);
        }
      }
      for (KeyChange c : other) {
        if (c.db() == db && (plan.sourceRedis() == null || RedisAddress.same(plan.sourceRedis(), c.redis()))) {
          changes.add(c);
        }
      }
    }
    List<CapturedValue> orderedValues = new ArrayList<>(values.values());
    orderedValues.sort(Comparator.comparing(CapturedValue::time).thenComparing(CapturedValue::seq));
    List<KeyChange> orderedChanges = new ArrayList<>(changes);
    orderedChanges.sort(Comparator.comparingLong(KeyChange::endUs).thenComparingLong(KeyChange::timeUs));
    return new Reads(orderedValues, orderedChanges);
  }
}
