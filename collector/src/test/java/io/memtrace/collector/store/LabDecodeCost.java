package io.memtrace.collector.store;

import io.memtrace.collector.Conventions;
import io.memtrace.collector.bench.RealisticSpans;
import io.memtrace.collector.ingest.OtlpIngest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Not a test, and not kept: the ingest side of issue 50's decode-time answers (the lab {@code LabMoveCost} measures
 * the move's side). On the rows {@code IngestBenchmark --realistic} sends, decoded and prepared before the clock:
 * <ul>
 *   <li>{@code map}: the Java pass a decoder would run per span: the span's key event (layer, key, place, access)
 *       from its typed columns, the place as a 128-bit hash ({@code md5}: MessageDigest MD5, which DuckDB's
 *       {@code md5_number} could compute too; {@code murmur}: Guava's murmur3_128, which DuckDB has no function for),
 *       a write's own ref, and a lookup and update of a bounded map of each place's last write, giving the answer;
 *       {@code fast}: the same with FNV-1a over the columns' chars (no string built) and an open-addressed table;
 *       {@code derive}: the event derived and hashed as {@code fast} does, no map (what the map itself adds);</li>
 *   <li>{@code append}: DuckDB's appender writing the rows into {@code span_ingest}, and into a table of its
 *       definition with five more columns (the answer and whether the map knew it), in turn.</li>
 * </ul>
 * Prints the thread's CPU per span of each. Run: {@code java -Xmx2g -cp ... io.memtrace.collector.store.LabDecodeCost
 * [spans=102400] [rounds=5] [modes=md5,murmur,fast,fast,derive]}.
 */
public final class LabDecodeCost {

  private static final int BATCH = 512;
  private static final int PLACES = 1 << 20;

  private record Place(long a, long b) {
  }

  private record Last(long end, String access, Long ttl, long ref, long lastRead) {
  }

  /** One span's answer columns, as the decoder would append them. */
  private record Answer(String access, Long end, Long ttl, Long ref, boolean known) {
  }

  public static void main(String[] args) throws Exception {
    int spans = args.length > 0 ? Integer.parseInt(args[0]) : 102_400;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int batches = spans / BATCH;
    RealisticSpans mix = new RealisticSpans((long) batches * BATCH * rounds, Conventions.SEED);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Path dir = Files.createTempDirectory("lab-decode-cost");
    int columns = PromotedAttributes.COLUMNS.size();
    int key = PromotedAttributes.indexOf("memory.key");
    int namespace = PromotedAttributes.indexOf("memory.namespace");
    int operation = PromotedAttributes.indexOf("memory.operation");
    int command = PromotedAttributes.indexOf("db.operation.name");
    int system = PromotedAttributes.indexOf("db.system.name");
    int system2 = PromotedAttributes.indexOf("db.system");
    int address = PromotedAttributes.indexOf("server.address");
    int port = PromotedAttributes.indexOf("server.port");
    int db = PromotedAttributes.indexOf("db.namespace");
    int ttlColumn = PromotedAttributes.indexOf("memory.ttl");
    Map<String, String> access = io.memtrace.collector.lineage.LabCommandAccess.forKeyEvents();
    try (DuckDBConnection c = Database.openWritable(new StoreFiles(dir))) {
      try (Statement s = c.createStatement()) {
        s.execute(Schema.ingestTable("lab_ingest"));
        for (String column : io.memtrace.collector.lineage.LabAnswersInIngest.COLUMNS_DDL.split(", ")) {
          s.execute("ALTER TABLE lab_ingest ADD COLUMN " + column);
        }
      }
      for (String hash : (args.length > 2 ? args[2] : "md5,murmur,fast,fast,derive").split(",")) {
        FastPlaces fast = new FastPlaces(1 << 21);
        Map<Place, Last> map = new LinkedHashMap<>(PLACES, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Place, Last> eldest) {
            return size() > PLACES;
          }
        };
        for (int round = 0; round < rounds; round++) {
          List<PreparedSpans> requests = new ArrayList<>(batches);
          for (int b = 0; b < batches; b++) {
            requests.add(PreparedSpans.of(OtlpIngest.decodeSpans(false, mix.batch(round * batches + b).toByteArray())));
          }
          List<Answer[]> answers = new ArrayList<>(batches);
          long known = 0;
          long events = 0;
          MessageDigest md5 = MessageDigest.getInstance("MD5");
          long t0 = threads.getCurrentThreadCpuTime();
          for (PreparedSpans p : requests) {
            Answer[] out = new Answer[p.size()];
            for (int i = 0; i < p.size(); i++) {
              Object[] v = p.promoted;
              int o = i * columns;
              String k = (String) v[o + key];
              if (k == null) {
                continue;
              }
              String kind;
              String where;
              if (v[o + operation] != null) {
                kind = switch (((String) v[o + operation]).toLowerCase()) {
                  case "retrieve" -> "read";
                  case "store", "create", "update" -> "write";
                  case "delete" -> "delete";
                  default -> "other";
                };
                where = "m" + (v[o + namespace] == null ? "" : (String) v[o + namespace]);
              } else if (v[o + system] != null || v[o + system2] != null) {
                String cmd = (String) v[o + command];
                kind = cmd == null ? "other" : access.getOrDefault(cmd.toUpperCase(), "other");
                where = "r" + v[o + address] + ":" + v[o + port] + "/" + v[o + db];
              } else {
                continue;
              }
              if (!kind.equals("read") && !kind.equals("write") && !kind.equals("delete")) {
                continue;
              }
              events++;
              SpanRow row = p.rows.get(i);
              if (hash.equals("derive")) {
                boolean memory = v[o + operation] != null;
                long a = memory ? fnv(fnv(SEED_A, k), (String) v[o + namespace])
                    : fnv(fnv(fnv(fnv(SEED_A, k), (String) v[o + address]), String.valueOf(v[o + port])), (String) v[o + db]);
                long b = memory ? fnv(fnv(SEED_B, k), (String) v[o + namespace])
                    : fnv(fnv(fnv(fnv(SEED_B, k), (String) v[o + address]), String.valueOf(v[o + port])), (String) v[o + db]);
                long ref = kind.equals("read") ? 0 : fnv(fnv(SEED_A, row.traceId()), row.spanId());
                out[i] = new Answer(kind, a ^ b, null, ref, false);
                continue;
              }
              if (hash.equals("fast")) {
                // no strings built, no boxing: the place hashed from the columns' chars, an open-addressed table
                boolean memory = v[o + operation] != null;
                long a = memory ? fnv(fnv(SEED_A, k), (String) v[o + namespace])
                    : fnv(fnv(fnv(fnv(SEED_A, k), (String) v[o + address]), String.valueOf(v[o + port])), (String) v[o + db]);
                long b = memory ? fnv(fnv(SEED_B, k), (String) v[o + namespace])
                    : fnv(fnv(fnv(fnv(SEED_B, k), (String) v[o + address]), String.valueOf(v[o + port])), (String) v[o + db]);
                boolean read = kind.equals("read");
                long ref = read ? 0 : fnv(fnv(SEED_A, row.traceId()), row.spanId());
                long start = row.startNanos() / 1000;
                long end = row.endNanos() / 1000;
                int slot = fast.find(a, b);
                Answer answer;
                if (slot >= 0 && fast.end[slot] != Long.MIN_VALUE && fast.end[slot] <= (read ? start : end - 1)
                    && (read || fast.lastRead[slot] < end)) {
                  answer = new Answer(fast.access[slot], fast.end[slot], fast.ttl[slot], fast.ref[slot], true);
                  known++;
                } else {
                  answer = new Answer(null, null, null, null, slot < 0);
                }
                out[i] = answer;
                if (slot < 0) {
                  slot = fast.put(a, b);
                }
                if (read) {
                  fast.lastRead[slot] = Math.max(fast.lastRead[slot], start);
                } else if (end >= fast.end[slot]) {
                  fast.end[slot] = end;
                  fast.access[slot] = kind;
                  fast.ttl[slot] = (Long) v[o + ttlColumn];
                  fast.ref[slot] = ref;
                }
                continue;
              }
              byte[] bytes = (k + '\u0000' + where).getBytes(StandardCharsets.UTF_8);
              Place place;
              long ref;
              if (hash.equals("md5")) {
                byte[] d = md5.digest(bytes);
                place = new Place(longAt(d, 0), longAt(d, 8));
                ref = kind.equals("read") ? 0
                    : longAt(md5.digest((row.traceId() + row.spanId()).getBytes(StandardCharsets.UTF_8)), 0);
              } else {
                com.google.common.hash.HashCode h = com.google.common.hash.Hashing.murmur3_128().hashBytes(bytes);
                byte[] d = h.asBytes();
                place = new Place(longAt(d, 0), longAt(d, 8));
                ref = kind.equals("read") ? 0
                    : com.google.common.hash.Hashing.murmur3_128().hashString(row.traceId() + row.spanId(),
                        StandardCharsets.UTF_8).asLong();
              }
              long start = row.startNanos() / 1000;
              long end = row.endNanos() / 1000;
              Last last = map.get(place);
              boolean read = kind.equals("read");
              long asks = read ? start : end - 1;
              boolean late = last != null && (last.end() > asks || (!read && last.lastRead() >= end));
              if (last != null && !late) {
                out[i] = new Answer(last.access(), last.end(), last.ttl(), last.ref(), true);
                known++;
              } else {
                out[i] = new Answer(null, null, null, null, last == null);
              }
              if (read) {
                map.put(place, last == null ? new Last(Long.MIN_VALUE, null, null, 0, start)
                    : new Last(last.end(), last.access(), last.ttl(), last.ref(), Math.max(last.lastRead(), start)));
              } else if (last == null || end >= last.end()) {
                map.put(place, new Last(end, kind, (Long) v[o + ttlColumn], ref, last == null ? Long.MIN_VALUE : last.lastRead()));
              }
            }
            answers.add(out);
          }
          long mapCpu = threads.getCurrentThreadCpuTime() - t0;
          long rows = (long) batches * BATCH;
          long[] appendCpu = new long[2];
          for (int table = 0; table < 2; table++) {
            boolean lab = (table == 1) == (round % 2 == 0);
            long a0 = threads.getCurrentThreadCpuTime();
            long seq = 0;
            for (int from = 0; from < batches; from += 4) {
              long received = System.currentTimeMillis() * 1000;
              try (DuckDBAppender a = c.createAppender("main", lab ? "lab_ingest" : "span_ingest")) {
                for (int b = from; b < Math.min(batches, from + 4); b++) {
                  PreparedSpans p = requests.get(b);
                  Answer[] out = answers.get(b);
                  for (int i = 0; i < p.size(); i++) {
                    if (lab) {
                      appendWithoutEnd(a, seq++, p.rows.get(i), p.promoted, i * columns, received);
                      Answer x = out[i];
                      if (x == null) {
                        a.appendNull().appendNull().appendNull().appendNull().appendNull();
                      } else {
                        if (x.access() == null) {
                          a.appendNull().appendNull().appendNull().appendNull();
                        } else {
                          a.append(x.access());
                          a.appendEpochMicros(x.end());
                          if (x.ttl() == null) {
                            a.appendNull();
                          } else {
                            a.append(x.ttl().longValue());
                          }
                          a.append(x.ref().longValue());
                        }
                        a.append(x.known());
                      }
                      a.endRow();
                    } else {
                      RowAppender.appendSpan(a, seq++, p.rows.get(i), p.promoted, i * columns, received);
                    }
                  }
                }
              }
            }
            appendCpu[lab ? 1 : 0] = threads.getCurrentThreadCpuTime() - a0;
            try (Statement s = c.createStatement()) {
              s.execute("DELETE FROM " + (lab ? "lab_ingest" : "span_ingest"));
              s.execute("CHECKPOINT");
            }
          }
          System.out.printf("%s round %d: %d spans, %d events (%d answered by the map, %d places held): map %.3f us a span; "
              + "append %.2f us a row, with the five columns %.2f (+%.2f)%n", hash, round, rows, events, known, hash.equals("fast") ? fast.size : map.size(),
              mapCpu / 1000.0 / rows, appendCpu[0] / 1000.0 / rows, appendCpu[1] / 1000.0 / rows,
              (appendCpu[1] - appendCpu[0]) / 1000.0 / rows);
        }
      }
    } finally {
      io.memtrace.collector.bench.ScratchStore.delete(dir);
    }
  }

  /** {@link RowAppender#appendSpan}'s columns, the row left open for the lab's. */
  private static void appendWithoutEnd(DuckDBAppender a, long seq, SpanRow r, Object[] promoted, int from, long received)
      throws java.sql.SQLException {
    a.beginRow().append(seq).append(r.traceId()).append(r.spanId());
    text(a, r.parentSpanId());
    text(a, r.traceState());
    a.append(r.name()).append(r.kind()).appendEpochMicros(r.startNanos() / 1000).appendEpochMicros(r.endNanos() / 1000)
        .append(r.durationMillis()).append(r.statusCode());
    text(a, r.statusMessage());
    text(a, r.serviceName());
    text(a, r.scopeName());
    a.append(r.attributesJson()).append(r.eventsJson()).append(r.resourceJson()).appendEpochMicros(received);
    for (int c = 0; c < PromotedAttributes.COLUMNS.size(); c++) {
      Object value = promoted[from + c];
      if (value == null) {
        a.appendNull();
      } else if (value instanceof String x) {
        a.append(x);
      } else if (value instanceof Long l) {
        a.append((long) l);
      } else if (value instanceof Double d) {
        a.append((double) d);
      } else {
        a.append((boolean) (Boolean) value);
      }
    }
    text(a, r.linksJson());
  }

  private static void text(DuckDBAppender a, String value) throws java.sql.SQLException {
    if (value == null) {
      a.appendNull();
    } else {
      a.append(value);
    }
  }

  private static final long SEED_A = 0xcbf29ce484222325L;
  private static final long SEED_B = 0x84222325cbf29ce4L;

  /** FNV-1a over a string's chars, a separator after it (null hashes as the separator alone). */
  private static long fnv(long h, String s) {
    if (s != null) {
      for (int i = 0; i < s.length(); i++) {
        h = (h ^ s.charAt(i)) * 0x100000001b3L;
      }
    }
    return (h ^ 0xffff) * 0x100000001b3L;
  }

  /** A bounded open-addressed table of places: a full probe run overwrites (evicts) its first slot. */
  private static final class FastPlaces {
    final long[] a;
    final long[] b;
    final long[] end;
    final long[] lastRead;
    final long[] ref;
    final Long[] ttl;
    final String[] access;
    final boolean[] used;
    final int mask;
    int size;

    FastPlaces(int capacity) {
      a = new long[capacity];
      b = new long[capacity];
      end = new long[capacity];
      lastRead = new long[capacity];
      ref = new long[capacity];
      ttl = new Long[capacity];
      access = new String[capacity];
      used = new boolean[capacity];
      mask = capacity - 1;
    }

    int find(long x, long y) {
      int i = (int) (x ^ (x >>> 29)) & mask;
      for (int n = 0; n < 16; n++, i = (i + 1) & mask) {
        if (!used[i]) {
          return -1;
        }
        if (a[i] == x && b[i] == y) {
          return i;
        }
      }
      return -1;
    }

    int put(long x, long y) {
      int i = (int) (x ^ (x >>> 29)) & mask;
      int first = i;
      for (int n = 0; n < 16; n++, i = (i + 1) & mask) {
        if (!used[i]) {
          size++;
          first = i;
          break;
        }
      }
      used[first] = true;
      a[first] = x;
      b[first] = y;
      end[first] = Long.MIN_VALUE;
      lastRead[first] = Long.MIN_VALUE;
      ttl[first] = null;
      access[first] = null;
      return first;
    }
  }

  private static long longAt(byte[] d, int from) {
    long x = 0;
    for (int i = 0; i < 8; i++) {
      x = (x << 8) | (d[from + i] & 0xff);
    }
    return x;
  }

  private LabDecodeCost() {
  }
}
