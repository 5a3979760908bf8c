package io.memtrace.collector.timeline;

import io.memtrace.collector.Visible;
import io.memtrace.collector.lineage.KeyRecordViews;
import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.timeline.RecordRows.NotificationRow;
import io.memtrace.collector.timeline.RecordRows.SpanRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One record's timeline from its rows ({@link RecordRows}), the same for every store: the memory calls of the key
 * with the Redis commands under them folded in (they give the TTL Redis got against the TTL asked), the Redis
 * commands of its Redis keys that no memory call of it issued, and Redis's notifications of those keys. Each read
 * names the write it saw, each write the reads that saw it, and each read that found nothing why
 * ({@link MissReasons}).
 *
 * <p>Redis's notifications are matched to the spans by {@link NotificationCauses}.
 */
public final class KeyRecord {

  /** Commands that set or clear a TTL ({@link KeyRecordViews#TTL_COMMANDS}). */
  public static final Set<String> TTL_COMMANDS = KeyRecordViews.TTL_COMMANDS;

  private KeyRecord() {
  }

  public static KeyTimeline build(TimelineRequest request, RecordRows rows) {
    String key = request.key();
    Map<String, SpanRow> memoryCalls = new LinkedHashMap<>();
    List<SpanRow> redisSpans = new ArrayList<>();
    List<SpanRow> spans = SpanPlacement.placed(rows.spans().stream().map(KeyRecord::ownTtl).toList(),
        rows.notifications());
    for (SpanRow s : spans) {
      if (s.memory() && key.equals(s.key()) && namespaceOk(request, s.namespace())) {
        memoryCalls.put(s.traceId() + "/" + s.spanId(), s);
      } else if (!s.memory() && (request.redis() == null || RedisAddress.same(request.redis(), s.redis()))) {
        redisSpans.add(s);
      }
    }
    // the Redis keys of the record: the key asked, and those the memory calls' own commands used
    Map<String, String> recordOfRedisKey = new HashMap<>();
    Map<SpanRow, List<SpanRow>> children = new HashMap<>();
    Map<SpanRow, SpanRow> parents = new HashMap<>();
    for (SpanRow r : redisSpans) {
      SpanRow parent = memoryCalls.get(r.traceId() + "/" + r.parentSpanId());
      if (parent != null) {
        children.computeIfAbsent(parent, p -> new ArrayList<>()).add(r);
        parents.put(r, parent);
        recordOfRedisKey.putIfAbsent(r.key(), memoryRecord(parent));
      }
    }
    Set<String> memoryNamespaces = new HashSet<>();
    memoryCalls.values().forEach(m -> memoryNamespaces.add(String.valueOf(m.namespace())));
    List<Draft> drafts = new ArrayList<>();
    Map<SpanRow, Draft> ofSpan = new HashMap<>();
    for (SpanRow m : memoryCalls.values()) {
      Draft d = Draft.ofSpan(m, memoryRecord(m));
      d.foldCommands(children.getOrDefault(m, List.of()));
      drafts.add(d);
      ofSpan.put(m, d);
    }
    for (SpanRow r : redisSpans) {
      boolean ofRecord = recordOfRedisKey.containsKey(r.key()) || key.equals(r.key()) && namespaceOk(request, r.namespace());
      if (parents.containsKey(r)) {
        ofSpan.put(r, ofSpan.get(parents.get(r)));
      } else if (ofRecord) {
        Draft d = Draft.ofSpan(r, recordOfRedisKey.getOrDefault(r.key(), redisRecord(r.redis(), r.database(), r.key())));
        drafts.add(d);
        ofSpan.put(r, d);
      }
    }
    // in the order received; two received in the same microsecond, by name, so every store gives one order
    List<NotificationRow> notifications = new ArrayList<>(rows.notifications());
    notifications.sort(Comparator.comparingLong(NotificationRow::timeUs).thenComparing(NotificationRow::event)
        .thenComparing(NotificationRow::key));
    List<NotificationRow> ofRecord = new ArrayList<>();
    List<String> records = new ArrayList<>();
    for (NotificationRow n : notifications) {
      if (request.redis() != null && !RedisAddress.same(request.redis(), n.redis())) {
        continue;
      }
      String record = recordOfRedisKey.get(n.key());
      if (record == null && key.equals(n.key()) && namespaceOk(request, n.namespace())) {
        record = redisRecord(n.redis(), n.db(), n.key());
      } else if (record == null && endsWithKey(n.key(), key) && memoryNamespaces.contains(n.namespace())) {
        record = "m|" + n.namespace() + "|" + key;
      }
      if (record != null) {
        ofRecord.add(n);
        records.add(record);
      }
    }
    // the Redis spans that name no database (Node's ioredis instrumentation), which record no reply either
    Set<String> dbless = new HashSet<>();
    rows.spans().stream().filter(s -> !s.memory() && s.db() == null)
        .forEach(s -> dbless.add(s.traceId() + "/" + s.spanId()));
    Map<Integer, SpanRow> open = new HashMap<>();
    Draft[] accounted = NotificationCauses.accountFor(ofRecord, key, ofSpan, children, open, dbless);
    // a script's change of its key, which only Redis's events tell: of those it accounts for, the one received
    // nearest its span (an earlier or a later change's event may fall within its window too); of those received
    // while it ran, the last (a script that deletes its key and writes it again leaves it written)
    Map<Draft, Long> scripts = new HashMap<>();
    Map<Draft, Set<String>> scriptKinds = new HashMap<>();
    Map<Draft, Map<String, Long>> noticedByKind = new HashMap<>();
    for (int i = 0; i < ofRecord.size(); i++) {
      NotificationRow n = ofRecord.get(i);
      Draft merged = accounted[i];
      if (merged != null) {
        merged.notified.add(n.event());
        noticedByKind.computeIfAbsent(merged, m -> new HashMap<>()).merge(n.kind(), n.timeUs(), Math::min);
        if ((merged.what.equals("other") || scripts.containsKey(merged))
            && List.of("write", "delete").contains(n.kind())) {
          scriptKinds.computeIfAbsent(merged, m -> new HashSet<>()).add(n.kind());
          long apart = Math.max(0, Math.max(merged.timeUs - n.timeUs(), n.timeUs() - merged.endUs));
          long best = scripts.getOrDefault(merged, Long.MAX_VALUE);
          if (apart < best || apart == 0 && best == 0) {
            merged.what = n.kind();
            scripts.put(merged, apart);
          }
        }
      } else {
        Draft d = SpanPlacement.unsure(NotificationCauses.draft(n, records.get(i), rows.compressed()), spans);
        drafts.add(d);
        if (open.containsKey(i)) {
          openOwner(d, open.get(i));
        }
        placeBeforeLaterEvents(d, i, ofRecord, accounted);
      }
    }
    noticedByKind.forEach(KeyRecord::noticed);
    scriptKinds.forEach((d, kinds) -> {
      if (kinds.size() > 1) {
        // a script's span says nothing of what it did to the key; Redis reported a write and a delete of it together
        // (a busy watcher received an untraced DEL's del right after the script's set): which were its own is open
        d.unsure = "it is a script's (" + d.operation + " by " + d.span.service() + ", trace " + d.span.traceId()
            + "), whose span does not say what it did to the key, and Redis reported a write and a delete of the key "
            + "as it ran: which were its own is open";
      }
    });
    // the commands on a whole database: traced, each its span; counted by the watcher alone, each a window
    WholeDatabase.add(drafts, rows.wholeDatabase().stream().filter(c -> c.traceId() != null).toList(),
        request.redis());
    NotificationCoverage coverage = new NotificationCoverage(rows.statuses());
    for (Draft d : drafts) {
      d.noReply = d.span != null && dbless.contains(d.span.traceId() + "/" + d.span.spanId())
          && d.span.operation() != null && Set.of("DEL", "UNLINK").contains(d.span.operation().toUpperCase(Locale.ROOT));
    }
    unreported(drafts, coverage, new HashSet<>(open.values()));
    drafts.sort(Comparator.comparingLong((Draft d) -> d.timeUs).thenComparing(d -> d.span == null));
    WriterLinks.link(drafts);
    new MissReasons(rows, coverage).explain(drafts);
    UntracedWholeDatabase.apply(drafts, UntracedWholeDatabase.windows(rows.wholeDatabase(), request.redis()));
    int from = Math.max(0, drafts.size() - request.limit());
    List<KeyTimeline.Event> events = drafts.subList(from, drafts.size()).stream().map(Draft::event).toList();
    return new KeyTimeline(key, events, from > 0, notes(rows, drafts, coverage));
  }

  /**
   * {@code s} with the TTL the timeline reads of it: none for a Redis span that names no database (Node's ioredis),
   * whose TTL only its statement shows, which the two stores read apart (the embedded store at ingest, as the agent
   * does; ClickHouse's views for SET and SETEX only, not EXPIRE or PEXPIRE), so that both give one answer.
   */
  private static SpanRow ownTtl(SpanRow s) {
    return s.memory() || s.db() != null || s.ttl() == null ? s : new SpanRow(s.timeUs(), s.endUs(), s.traceId(),
        s.spanId(), s.parentSpanId(), s.service(), s.layer(), s.redis(), s.db(), s.key(), s.namespace(), s.access(),
        s.operation(), s.found(), s.valueSize(), null, s.error());
  }

  /**
   * {@code d}, a change received after the span {@code s} ended, while {@code s} took one received as it ran, or
   * another change of the key was received between ({@link NotificationCauses#accountFor}'s {@code open}): {@code d}
   * may be the span's own or not, so who made it is unknown.
   */
  private static void openOwner(Draft d, SpanRow s) {
    if (!"outside".equals(d.by)) {
      return;
    }
    d.by = "unknown";
    d.maybe = s.operation() + " by " + s.service() + " (trace " + s.traceId() + ")";
    d.unsure = "it may be the change of " + d.maybe + ", which ended before it was received, or a later command's: "
        + "another change of the key received while that command ran or after it ended leaves which is its own open";
    d.cause = "unknown: " + d.unsure;
  }

  /**
   * When {@code d}'s own change was received ({@link Draft#noticedUs}, by which a record's changes are ordered): the
   * first notification of the kind of what it did ({@code write}, {@code delete} or {@code ttl}), else the first of
   * any it accounts for. A SET without a TTL took an untraced SET's {@code expire}, received just before an FCALL's
   * {@code set}, as its own TTL event; ordered by that, the SET came before the FCALL, and the read after both named
   * the FCALL's write (seed 21345).
   */
  private static void noticed(Draft d, Map<String, Long> byKind) {
    String own = d.alsoDeletes ? "delete" : d.what;
    d.noticedUs = byKind.containsKey(own) ? byKind.get(own)
        : byKind.values().stream().min(Long::compare).orElse(null);
  }

  /**
   * An expiry or eviction received after a span of its key began, and before a notification that span accounts for:
   * Redis sends its events in the order it ran the commands, so the removal came before that span's change (a SET
   * that found its key's TTL run out: Redis sends expired, then set), and is placed just before the span began. By
   * the time received alone it came after the SET, and a read after them said the key expired. Only the next event
   * of the key counts (Redis sends the two back to back): a PEXPIRE took the del of a DEL 0.8 s later as its own, and
   * an eviction received between, after an untraced SET and before two more, was placed before the PEXPIRE, and so
   * before a read of the key never written there (seed 20436). Nor one received past the watcher's lag
   * ({@link NotificationCauses#BEFORE_US}) after the span ended: an eviction 0.5 s after a PEXPIRE, before the
   * clearing DEL's del the PEXPIRE took (seed 22015).
   */
  private static void placeBeforeLaterEvents(Draft d, int i, List<NotificationRow> notifications, Draft[] accounted) {
    NotificationRow n = notifications.get(i);
    if (!n.kind().equals("expiry") && !n.kind().equals("eviction")) {
      return;
    }
    for (int j = i + 1; j < notifications.size(); j++) {
      NotificationRow later = notifications.get(j);
      if (later.db() == n.db() && later.key().equals(n.key())) {
        Draft s = accounted[j];
        if (s != null && s.timeUs <= n.timeUs() && n.timeUs() <= s.endUs + NotificationCauses.BEFORE_US) {
          d.placeUs = Math.min(d.placeUs, s.timeUs - 1);
        }
        return;
      }
    }
  }

  /**
   * A traced DEL or UNLINK whose span does not say what it removed ({@code memory.result_count}: Node's ioredis
   * instrumentation records no reply) and that Redis reported no {@code del} for, while notifications covered its key
   * and time: it removed nothing (the key was already gone), so it is no change a read can see.
   */
  private static void unreported(List<Draft> drafts, NotificationCoverage coverage, Set<SpanRow> open) {
    for (Draft d : drafts) {
      if (d.span != null && !d.span.memory() && d.what.equals("delete")
          && d.span.operation() != null && Set.of("DEL", "UNLINK").contains(d.span.operation().toUpperCase(Locale.ROOT))
          && !d.notified.contains("del") && coverage.coversDeletes(d.span.redis(), MissReasons.namespaces(List.of(d)),
              d.timeUs, d.endUs + NotificationCauses.AFTER_US)) {
        d.what = "other";
        // a del received after it ended, with another change of the key between, may yet be its own
        d.cause = d.cause + (open.contains(d.span) ? ", which may have removed nothing (a del Redis reported after "
            + "it ended, and after another change of the key, may be its own or a later command's)"
            : ", which removed nothing (Redis reported no del)");
      }
    }
  }

  /**
   * Whether {@code redisKey} may be a Redis key of the memory key {@code key}: the key itself, or ending with it after
   * a separator ({@code plans:plan-a}, {@code notes/plan-a}), not inside a longer name ({@code xplan-a}). The stores
   * select the same keys in their scans. Letters and digits are ASCII ones, as the stores' SQL reads them.
   */
  public static boolean endsWithKey(String redisKey, String key) {
    if (redisKey.equals(key)) {
      return true;
    }
    if (!redisKey.endsWith(key) || redisKey.length() == key.length()) {
      return false;
    }
    char before = redisKey.charAt(redisKey.length() - key.length() - 1);
    return before >= 128 || !Character.isLetterOrDigit(before);
  }

  private static boolean namespaceOk(TimelineRequest request, String namespace) {
    return request.namespace() == null || request.namespace().equals(namespace);
  }

  static String memoryRecord(SpanRow m) {
    return "m|" + m.namespace() + "|" + m.key();
  }

  static String redisRecord(String redis, int db, String key) {
    return "r|" + RedisAddress.normal(redis) + "|" + db + "|" + key;
  }

  static boolean ttlCommand(SpanRow s) {
    return "ttl".equals(s.access()) || s.operation() != null && TTL_COMMANDS.contains(s.operation().toUpperCase(Locale.ROOT));
  }

  private static List<String> notes(RecordRows rows, List<Draft> drafts, NotificationCoverage coverage) {
    List<String> notes = new ArrayList<>();
    if (rows.statuses().isEmpty()) {
      notes.add("No keyspace notifications were recorded: expiries, evictions and changes outside the traced "
          + "services are not shown (turn on with --keyspace-events on).");
    } else if (!drafts.isEmpty()) {
      String gap = coverage.gap(drafts.stream().map(d -> d.redis).filter(r -> r != null).toList(),
          MissReasons.namespaces(drafts), drafts.get(0).timeUs, drafts.get(drafts.size() - 1).endUs);
      if (gap != null) {
        notes.add(gap);
      }
    }
    if (drafts.stream().anyMatch(d -> "unknown_compressed".equals(d.reasonKind) || "unknown".equals(d.by)
        && !d.moved)) {
      notes.add("Retention compressed some Redis commands of this namespace: what they did is unknown.");
    }
    return notes;
  }

  /** A time as the text output shows it. */
  public static String time(long micros) {
    return Visible.text(Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000).toString());
  }
}
